using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Notifications;
using Partnership.Functions.Organisations;
using Partnership.Functions.Reports;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Coordinator;

/// <summary>
/// The coordinator's home, answering "what needs me today": bids waiting on each stage with how long they have
/// waited and when they are due, returns overdue and due soon, decisions awaiting HCE or the Board, and messages
/// that did not get through. Everything comes from the read models, never from the bids themselves.
/// </summary>
[Authorize(Roles = nameof(Role.Coordinator))]
public sealed class IndexModel(BidIndexProjection index, ReportBuilder reports, OrganisationStore organisations, MessageLog messages, Funds.FundStore funds, TimeProvider clock) : PageModel
{
    public IReadOnlyList<Funds.Fund> Funds { get; private set; } = [];

    public const string Path = "/coordinator";

    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    public IReadOnlyList<BidSummary> ForCoordinator { get; private set; } = [];

    public IReadOnlyList<BidSummary> ForDecision { get; private set; } = [];

    public IReadOnlyList<BidSummary> WithOthers { get; private set; } = [];

    public ReturnsReport Returns { get; private set; } = new([], []);

    /// <summary>Returns sent in and waiting for the coordinator to accept or send back.</summary>
    public IReadOnlyList<(BidSummary Bid, ReturnSnapshot Return)> ToReview { get; private set; } = [];

    public IReadOnlyList<OutboxMessage> Undelivered { get; private set; } = [];

    public IReadOnlyDictionary<string, string> Organisations { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var bids = await index.ListAsync(null, null, null, ct);
        static IReadOnlyList<BidSummary> Waiting(IEnumerable<BidSummary> bids) => [.. bids.OrderBy(b => b.DecisionDueAt ?? DateTimeOffset.MaxValue).ThenBy(b => b.StageEnteredAt)];
        ForCoordinator = Waiting(bids.Where(b => b.Stage is BidStage.Submitted or BidStage.Screening or BidStage.Closing));
        ForDecision = Waiting(bids.Where(b => b.Stage is BidStage.HceRecommendation or BidStage.BoardApproval));
        WithOthers = Waiting(bids.Where(b => b.Stage is BidStage.ChangesRequested or BidStage.Contracting or BidStage.PurchaseOrder));
        Returns = await reports.ReturnsAsync(null, ct);
        ToReview = [.. bids.SelectMany(b => (b.Grant?.Returns ?? []).Where(r => r.Status == Workflows.Grants.ReturnStatus.Submitted).Select(r => (b, r)))];
        Undelivered = [.. (await messages.ListAsync(null, ct)).Where(m => m.Status == MessageLog.Failed)];
        Organisations = (await organisations.ListAsync(ct)).ToDictionary(o => o.Id, o => o.Name);
        Funds = await funds.ListAsync(ct);
    }

    public string OrganisationOf(BidSummary bid) => Organisations.GetValueOrDefault(bid.OrganisationId, bid.OrganisationId);

    /// <summary>Whole days since <paramref name="at"/>, as "today", "1 day" or "12 days".</summary>
    public string Waited(DateTimeOffset? at)
    {
        if (at is null)
        {
            return "";
        }

        var days = (int)Math.Floor((Now - at.Value).TotalDays);
        return days switch { <= 0 => "today", 1 => "1 day", _ => $"{days} days" };
    }

    public bool IsOverdue(BidSummary bid) => bid.DecisionDueAt is { } due && due < Now;
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Decisions;
using Partnership.Functions.Identity;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Members;

/// <summary>
/// The bids waiting for the signed-in HCE or Board member's decision, soonest due first. Each opens the same
/// decision form the emailed link opens, through a link made for this member now: one form, two ways in.
/// </summary>
[Authorize(Roles = $"{nameof(Role.HceMember)},{nameof(Role.BoardMember)}")]
public sealed class DecisionsModel(DecisionLinks links, Reports.ReportBuilder reports, Governance.InterestStore interests, TimeProvider clock, WorkingCalendar calendar) : PageModel
{
    public const string Path = "/decisions";

    public IReadOnlyList<(BidSummary Bid, string Link)> Waiting { get; private set; } = [];

    /// <summary>For Board members: the budget as it would stand if they agreed every recommendation before them.</summary>
    public Reports.BoardAgenda? Agenda { get; private set; }

    /// <summary>Members are asked once a year to check their register of interests still stands.</summary>
    public bool ReviewDue { get; private set; }

    public string Body => User.Actor().Role == Role.HceMember ? "HCE" : "the Partnership Board";

    /// <summary>The stage whose decisions are this member's body's to make.</summary>
    public static BidStage StageFor(Role role) => role == Role.HceMember ? BidStage.HceRecommendation : BidStage.BoardApproval;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var actor = User.Actor();
        var stage = StageFor(actor.Role);
        ReviewDue = (await interests.FindAsync(actor.UserId, ct)).Register.ReviewDue(calendar.LocalDate(clock.GetUtcNow()));
        Waiting = [.. (await reports.AwaitingDecisionAsync(stage, ct)).Select(w => (w.Bid, $"/decisions/{links.Create(w.State, actor.UserId)}"))];
        if (stage == BidStage.BoardApproval)
        {
            Agenda = await reports.BoardAgendaAsync(null, ct);
        }
    }
}

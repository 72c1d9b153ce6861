using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Pages.Finance;

/// <summary>The finance officer's work: purchase orders to raise, and instalments due, held or paid.</summary>
[Authorize(Roles = $"{nameof(Role.FinanceOfficer)},{nameof(Role.Coordinator)},{nameof(Role.Auditor)}")]
public sealed class IndexModel(BidIndexProjection index, BidRepository repository, TimeProvider clock) : PageModel
{
    public const string Path = "/finance";

    public IReadOnlyList<BidSummary> PurchaseOrders { get; private set; } = [];

    public IReadOnlyList<(BidState Bid, Instalment Instalment)> Unpaid { get; private set; } = [];

    public DateOnly Today { get; } = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task OnGetAsync(CancellationToken ct)
    {
        PurchaseOrders = await index.ListAsync(null, null, BidStage.PurchaseOrder, ct);
        var unpaid = new List<(BidState, Instalment)>();
        foreach (var bid in await index.ListAsync(null, null, BidStage.Monitoring, ct))
        {
            if ((await repository.LoadAsync(bid.BidId, ct))?.State is { } state)
            {
                unpaid.AddRange(state.Instalments.Where(i => state.Payments.All(p => p.Instalment != i.Number)).Select(i => (state, i)));
            }
        }

        Unpaid = [.. unpaid.OrderBy(u => u.Item2.DueOn)];
    }
}

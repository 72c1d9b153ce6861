using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Organisations;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Bids;

/// <summary>Every bid, for staff (auditors read every one from here), filtered by stage.</summary>
[Authorize(Roles = RoleGroups.StaffNames)]
public sealed class IndexModel(BidIndexProjection index, OrganisationStore organisations) : PageModel
{
    public const string Path = "/bids";

    public IReadOnlyList<BidSummary> Bids { get; private set; } = [];

    public BidStage? Stage { get; private set; }

    public IReadOnlyDictionary<string, string> Organisations { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync(string? stage, CancellationToken ct)
    {
        Stage = Enum.TryParse<BidStage>(stage, out var chosen) && Enum.IsDefined(chosen) ? chosen : null;
        Bids = await index.ListAsync(null, null, Stage, ct);
        Organisations = (await organisations.ListAsync(ct)).ToDictionary(o => o.Id, o => o.Name);
    }
}

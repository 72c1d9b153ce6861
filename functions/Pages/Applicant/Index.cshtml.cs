using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Funds;
using Partnership.Functions.Identity;
using Partnership.Functions.Organisations;
using Partnership.Functions.Workflow;
using Partnership.Workflows;

namespace Partnership.Functions.Pages.Applicant;

/// <summary>An applicant's home: their organisation, its bids with where each stands, and the funds open to bid to.</summary>
[Authorize(Roles = nameof(Role.Applicant))]
public sealed class IndexModel(OrganisationStore organisations, BidIndexProjection bids, FundStore funds) : PageModel
{
    public const string Path = "/applicant";

    public Organisation? Organisation { get; private set; }

    public IReadOnlyList<BidSummary> Bids { get; private set; } = [];

    public IReadOnlyList<Fund> Funds { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (User.Actor().OrganisationId is not { } organisationId)
        {
            return;
        }

        Organisation = await organisations.FindAsync(organisationId, ct);
        Bids = [.. (await bids.ListAsync(null, organisationId, null, ct)).OrderByDescending(b => b.UpdatedAt)];
        Funds = await funds.ListAsync(ct);
    }
}

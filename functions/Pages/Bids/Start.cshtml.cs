using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Funds;
using Partnership.Functions.Identity;
using Partnership.Functions.Organisations;
using Partnership.Functions.Pages.Components;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Bids;

/// <summary>Starting a bid: its title, summary and grant period; the business case is then written section by section.</summary>
[Authorize(Roles = nameof(Role.Applicant))]
public sealed class StartModel(FundStore funds, OrganisationStore organisations, BidCommandService commands) : PageModel
{
    public Fund Fund { get; private set; } = null!;

    public ProjectFields Fields { get; private set; } = ProjectFields.Of(null);

    [BindProperty]
    public string? Attempt { get; set; }

    /// <summary>The organisation the form was shown for; someone who changed organisation meanwhile is asked to look again.</summary>
    [BindProperty]
    public string? OrganisationId { get; set; }

    public string? OrganisationName { get; private set; }

    public async Task<IActionResult> OnGetAsync(string fundId, CancellationToken ct)
    {
        if (User.Actor().OrganisationId is null)
        {
            return LocalRedirect("/organisations/register");
        }

        if (await funds.FindAsync(fundId, ct) is not { } fund)
        {
            return NotFound();
        }

        (Fund, Attempt, OrganisationId) = (fund, Guid.NewGuid().ToString("N"), User.Actor().OrganisationId);
        OrganisationName = (await organisations.FindAsync(OrganisationId!, ct))?.Name;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string fundId, CancellationToken ct)
    {
        var actor = User.Actor();
        if (await funds.FindAsync(fundId, ct) is not { } fund || actor.OrganisationId is null || string.IsNullOrEmpty(Attempt))
        {
            return NotFound();
        }

        Fund = fund;
        var errors = new Dictionary<string, string[]>();
        Fields = ProjectFields.Read(Request.Form, errors, out var start, out var end);
        if (OrganisationId != actor.OrganisationId)
        {
            errors["title"] = ["You have changed the organisation you act for since this page was opened. Check that this bid is for the organisation shown, then start it."];
            OrganisationId = actor.OrganisationId;
        }

        if (errors.Count == 0)
        {
            var key = $"page:{Attempt}";
            var bidId = BidCommandService.NewBidId(actor.UserId, key);
            var proposal = new BidProposal(Fields.Title!, Fields.Summary!, Funding.Zero, start!.Value, end!.Value) { Case = new BusinessCase() };
            var result = await commands.StartAsync(new StartBid(actor, bidId, fund.Id, actor.OrganisationId, proposal), key, ct);
            if (result.Outcome == CommandOutcome.Accepted)
            {
                return LocalRedirect($"/bids/{bidId}");
            }

            Attempt = Guid.NewGuid().ToString("N");
            errors["title"] = [result.Reason ?? "The bid could not be started."];
        }

        OrganisationName = (await organisations.FindAsync(actor.OrganisationId, ct))?.Name;
        ModelState.Clear();
        ModelState.AddAll(errors);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Funds;
using Partnership.Functions.Identity;
using Partnership.Functions.Pages.Components;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Bids;

/// <summary>Starting a bid: its title, summary and grant period; the business case is then written section by section.</summary>
[Authorize(Roles = nameof(Role.Applicant))]
public sealed class StartModel(FundStore funds, BidCommandService commands) : PageModel
{
    public Fund Fund { get; private set; } = null!;

    public ProjectFields Fields { get; private set; } = ProjectFields.Of(null);

    [BindProperty]
    public string? Attempt { get; set; }

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

        (Fund, Attempt) = (fund, Guid.NewGuid().ToString("N"));
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

        ModelState.Clear();
        ModelState.AddAll(errors);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Partnership.Functions.Pages.Components;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Bids;

/// <summary>Check your answers, declare them true, and submit (or resubmit the changes asked for).</summary>
[Authorize(Roles = nameof(Role.Applicant))]
public sealed class SubmitModel(BidRepository repository, BidCommandService commands) : BidPageModel(repository, commands)
{
    [BindProperty]
    public bool Declaration { get; set; }

    public bool Resubmitting => Bid.Stage == BidStage.ChangesRequested;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) && Editable ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct) || !Editable)
        {
            return NotFound();
        }

        if (!Declaration)
        {
            ModelState.AddModelError("declaration", "Confirm that the bid is true and complete to submit it.");
            return Invalid();
        }

        BidCommand command = Resubmitting ? new Resubmit(Actor) : new Submit(Actor);
        return await RunAsync(command, "declaration", ct) ? Redirect($"/bids/{BidId}?done={(Resubmitting ? "resubmitted" : "submitted")}") : Invalid();
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Partnership.Functions.Pages.Components;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Bids;

/// <summary>The project's title, summary and grant period, while the applicant holds the pen.</summary>
[Authorize(Roles = nameof(Role.Applicant))]
public sealed class ProjectModel(BidRepository repository, BidCommandService commands) : BidPageModel(repository, commands)
{
    public ProjectFields Fields { get; private set; } = ProjectFields.Of(null);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct) || !Editable)
        {
            return NotFound();
        }

        Fields = ProjectFields.Of(Bid.Proposal);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct) || !Editable)
        {
            return NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        Fields = ProjectFields.Read(Request.Form, errors, out var start, out var end);
        ModelState.Clear();
        ModelState.AddAll(errors);
        if (errors.Count > 0)
        {
            return Invalid();
        }

        // A bid that writes its case here changes only these fields, leaving the case as colleagues have saved it;
        // an older bid has no case to keep and edits its proposal whole, as its version of the workflow asks.
        BidCommand command = WritesCase
            ? new ChangeDraft(Actor, new SetProjectDetails(Fields.Title!, Fields.Summary!, start!.Value, end!.Value))
            : new EditDraft(Actor, Bid.Proposal with { Title = Fields.Title!, Summary = Fields.Summary!, GrantStart = start!.Value, GrantEnd = end!.Value });
        return await RunAsync(command, "title", ct) ? Redirect($"/bids/{BidId}") : Invalid();
    }
}

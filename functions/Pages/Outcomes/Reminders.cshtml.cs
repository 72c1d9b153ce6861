using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Outcomes;
using Partnership.Functions.Pages.Components;
using Partnership.Workflows;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Pages.Outcomes;

/// <summary>
/// A coordinator sets when the framework's quarterly figures fall due and how their leads are chased: the same
/// ladder a fund sets for its quarterly returns, starting from the returns' own.
/// </summary>
[Authorize(Roles = nameof(Role.Coordinator))]
public sealed class RemindersModel(OutcomeStore store) : PageModel
{
    public const string Path = "/outcomes/reminders";

    public MonitoringSettings Ladder { get; private set; } = MonitoringSettings.Defaults;

    public bool Saved { get; private set; }

    public async Task OnGetAsync(bool? saved, CancellationToken ct) => (Ladder, Saved) = (await store.LadderAsync(ct), saved == true);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var ladder = LadderForm.Read(Request.Form, errors);
        if (errors.Count > 0)
        {
            Ladder = await store.LadderAsync(ct);
            ModelState.AddAll(errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await store.SaveLadderAsync(ladder, ct);
        return Redirect($"{Path}?saved=true");
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Partnership.Functions.Identity;
using Partnership.Functions.Notifications;
using Partnership.Functions.Pages.Components;
using Partnership.Workflows;

namespace Partnership.Functions.Pages.Account;

/// <summary>
/// Where a person chooses how they hear from the app. A choice that cannot work is shown back with an error summary
/// linking to each field, and nothing is saved.
/// </summary>
public sealed class PreferencesModel(PreferenceStore store, IOptions<TeamsOptions> teams) : PageModel
{
    public const string Path = "/me/preferences";

    [BindProperty]
    public string? Channels { get; set; }

    [BindProperty]
    public string? TeamsUserId { get; set; }

    [BindProperty]
    public bool DailyDigest { get; set; }

    public bool Saved { get; private set; }

    public bool TeamsConnected => teams.Value.IsConfigured;

    public bool OffersDigest => User.Actor().Role == Role.Coordinator;

    public async Task OnGetAsync(bool? saved, CancellationToken ct)
    {
        var current = await store.FindAsync(User.Actor().UserId, ct);
        (Channels, DailyDigest, TeamsUserId, Saved) = (current.Channels.ToString(), current.DailyDigest, current.TeamsUserId, saved == true);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var actor = User.Actor();
        var errors = PreferenceEndpoints.Check(actor, new PreferencesRequest(Channels, DailyDigest, TeamsUserId), out var chosen);
        if (chosen is null)
        {
            ModelState.Clear();
            ModelState.AddAll(errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await store.SaveAsync(actor.UserId, chosen, ct);
        return Redirect($"{Path}?saved=true");
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Http;
using Partnership.Functions.Notifications;

namespace Partnership.Functions.Pages.Teams;

/// <summary>The content page of the Teams app's personal tab: it opens the page a notification points at.</summary>
[AllowAnonymous]
[FramedByTeamsOnly]
public sealed class TabModel : PageModel
{
    public IActionResult OnGet(string? open) => TeamsLinks.MayOpen(open) ? Redirect(open!) : Page();
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Partnership.Functions.Pages;

/// <summary>
/// Sends a person to whichever sign-in the app is configured with (the scheme's challenge) and back home; no page
/// names a sign-in scheme, so changing it touches none of them.
/// </summary>
[AllowAnonymous]
public sealed class SignInModel : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect("/") : Challenge();
}

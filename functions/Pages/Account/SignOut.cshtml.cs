using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Partnership.Functions.Identity;

namespace Partnership.Functions.Pages.Account;

/// <summary>
/// Ends the session here, whichever way it began, and says so on the home page. A member of staff stays signed in to
/// their organisation's Microsoft account, as with every other app they use through it.
/// </summary>
[AllowAnonymous]
public sealed class SignOutModel(SignInAudit audit, IOptions<EntraOptions> entra) : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Page() : LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            await audit.RecordAsync(HttpContext, SignInAudit.SignedOut, User.FindFirstValue(ClaimTypes.NameIdentifier), User.FindFirstValue(ClaimTypes.Email), User.Identity.AuthenticationType ?? "", null, ct);
        }

        await HttpContext.SignOutAsync(SignInSetup.Session);
        if (entra.Value.IsConfigured)
        {
            await HttpContext.SignOutAsync(SignInSetup.Staff);
        }

        Response.Cookies.Delete(DevelopmentSignInHandler.Cookie);
        return LocalRedirect("/?signedOut=true");
    }
}

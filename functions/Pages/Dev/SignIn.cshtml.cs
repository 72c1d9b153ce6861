using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;

namespace Partnership.Functions.Pages.Dev;

/// <summary>Development only: pick who to be. The cookie it sets is what the development sign-in reads.</summary>
[AllowAnonymous]
public sealed class SignInModel(UserDirectory users, SignInAudit audit) : PageModel
{
    public string ReturnUrl { get; private set; } = "/";

    public IReadOnlyList<AppUser> Users { get; private set; } = [];

    public async Task OnGetAsync(string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = DevelopmentSignInHandler.LocalOrHome(returnUrl);
        Users = await users.ListAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(string? userId, string? returnUrl, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(userId) || await users.FindAsync(userId, ct) is null)
        {
            ModelState.AddModelError("userId", "Choose one of the people listed.");
            await OnGetAsync(returnUrl, ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Response.Cookies.Append(DevelopmentSignInHandler.Cookie, userId, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true });
        await audit.RecordAsync(HttpContext, SignInAudit.SignedIn, userId, null, "development sign-in", null, ct);
        return LocalRedirect(DevelopmentSignInHandler.LocalOrHome(returnUrl));
    }
}

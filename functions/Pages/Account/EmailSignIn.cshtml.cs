using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Partnership.Functions.Identity;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Account;

/// <summary>
/// An applicant asks for a sign-in link. Every well-formed address gets the same page at once, whether or not anyone
/// has it: the link is looked up and sent afterwards. Each client address, and each email address, may ask a few
/// times in a window.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(SignInSetup.RateLimit)]
public sealed class EmailSignInModel(SignInRequests requests) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public IActionResult OnPost()
    {
        Email = Email?.Trim();
        if (string.IsNullOrEmpty(Email) || !BusinessCaseRules.IsEmail(Email))
        {
            ModelState.Clear();
            ModelState.AddModelError("email", string.IsNullOrEmpty(Email) ? "Enter your email address." : "Enter an email address in the correct format, like name@example.org.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (!requests.Ask(Email))
        {
            ModelState.AddModelError("email", "This address has asked for several links in the last few minutes. Use the latest one, or wait 15 minutes and ask again.");
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        Sent = true;
        return Page();
    }
}

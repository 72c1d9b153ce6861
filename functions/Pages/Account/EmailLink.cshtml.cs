using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Partnership.Functions.Identity;
using Partnership.Workflows;

namespace Partnership.Functions.Pages.Account;

/// <summary>
/// The page an emailed sign-in link opens. Opening it changes nothing, because mail scanners open links; its POST
/// uses the link up and signs the person in. An address nobody has yet becomes an applicant with no organisation,
/// who is taken to register one; someone who acts for several is asked which one they act for now.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(SignInSetup.RateLimit)]
public sealed class EmailLinkModel(SignInLinks links, UserDirectory users, SignInAudit audit) : PageModel
{
    public SignInLink? Link { get; private set; }

    public string? Problem { get; private set; }

    public IActionResult OnGet(string token)
    {
        Link = links.Read(token, out var problem);
        Problem = problem;
        return Problem is null ? Page() : Refused(StatusCodes.Status400BadRequest);
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        Link = links.Read(token, out var problem);
        Problem = problem;
        if (Link is null)
        {
            await audit.RecordAsync(HttpContext, SignInAudit.Refused, null, null, "email link", problem, ct);
            return Refused(StatusCodes.Status400BadRequest);
        }

        if (!await links.UseAsync(Link, ct))
        {
            Problem = "This sign-in link has been used already: each link signs in once. Ask for a new one.";
            await audit.RecordAsync(HttpContext, SignInAudit.Refused, null, Link.Email, "email link", "used already", ct);
            return Refused(StatusCodes.Status409Conflict);
        }

        var user = await users.FindByEmailAsync(Link.Email, ct);
        if (user is null)
        {
            user = new AppUser(UserDirectory.ApplicantIdFor(Link.Email), Link.Email, Link.Email, Role.Applicant, null);
            await users.AddIfAbsentAsync(user, ct);
            user = await users.FindAsync(user.Id, ct) ?? user;
        }

        if (user.Role != Role.Applicant)
        {
            Problem = "Partnership staff sign in with their organisation's account, not by email.";
            await audit.RecordAsync(HttpContext, SignInAudit.Refused, user.Id, Link.Email, "email link", "staff address", ct);
            return Refused(StatusCodes.Status403Forbidden);
        }

        await HttpContext.SignInAsync(SignInSetup.Session, AppClaims.Principal(user, SignInSetup.Session), new AuthenticationProperties { IsPersistent = false });
        await audit.RecordAsync(HttpContext, SignInAudit.SignedIn, user.Id, Link.Email, "email link", null, ct);
        return LocalRedirect(user.Memberships.Count switch
        {
            0 => "/organisations/register",
            1 => Applicant.IndexModel.Path,
            _ => Organisations.ChooseModel.Path,
        });
    }

    private PageResult Refused(int status)
    {
        Response.StatusCode = status;
        return Page();
    }
}

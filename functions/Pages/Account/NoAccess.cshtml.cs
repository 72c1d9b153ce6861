using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;

namespace Partnership.Functions.Pages.Account;

/// <summary>Where a person signed in without a role lands: who they are, why they can do nothing, whom to ask.</summary>
[Authorize(Policy = SignInSetup.SignedIn)]
public sealed class NoAccessModel : PageModel
{
    public string Name => User.FindFirstValue(ClaimTypes.Name) ?? "";

    public string Email => User.FindFirstValue(ClaimTypes.Email) ?? "";

    public string Reason => User.FindFirstValue(EntraStaff.NoRole) ?? "You have no role in Partnership Funds yet.";

    public IActionResult OnGet() => User.HasClaim(c => c.Type == ClaimTypes.Role) ? LocalRedirect("/") : Page();
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Partnership.Functions.Identity;

namespace Partnership.Functions.Pages;

/// <summary>The ways in: a work account for staff where Entra ID is set up, an emailed link for applicants, and the development sign-in where that runs.</summary>
[AllowAnonymous]
public sealed class SignInModel(IWebHostEnvironment environment, IOptions<EntraOptions> entra) : PageModel
{
    public bool StaffSignIn => entra.Value.IsConfigured;

    public string ReturnUrl { get; private set; } = "/";

    public bool DevelopmentSignIn => environment.IsDevelopment() || environment.IsEnvironment("Testing");

    public IActionResult OnGet(string? returnUrl)
    {
        ReturnUrl = DevelopmentSignInHandler.LocalOrHome(returnUrl);
        return User.Identity?.IsAuthenticated == true ? LocalRedirect(ReturnUrl) : Page();
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Organisations;
using Partnership.Functions.Pages.Components;
using Partnership.Workflows;

namespace Partnership.Functions.Pages.Organisations;

/// <summary>An applicant registers an organisation they act for, which makes them its first member; they may register several.</summary>
[Authorize(Roles = nameof(Role.Applicant))]
public sealed class RegisterModel(OrganisationRegistration registration) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? CharityNumber { get; set; }

    [BindProperty]
    public string? CompanyNumber { get; set; }

    [BindProperty]
    public string? ContactName { get; set; }

    [BindProperty]
    public string? ContactEmail { get; set; }

    [BindProperty]
    public string? Address { get; set; }

    /// <summary>The person registering is usually the one the partnership writes to, so their address is offered.</summary>
    public void OnGet() => ContactEmail = User.FindFirstValue(ClaimTypes.Email);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await registration.RegisterAsync(User.Actor(), new RegisterOrganisationRequest(Name, CharityNumber, ContactEmail, Address, CompanyNumber, ContactName), ct);
        if (outcome is Registered)
        {
            // The organisation claim comes from the directory, read afresh on each request, so it holds from the next one.
            return LocalRedirect(Applicant.IndexModel.Path + "?registered=true");
        }

        var refused = (RegistrationRefused)outcome;
        ModelState.Clear();
        ModelState.AddAll(refused.Errors);
        if (refused.Errors.Count == 0)
        {
            ModelState.AddModelError("name", refused.Detail);
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}

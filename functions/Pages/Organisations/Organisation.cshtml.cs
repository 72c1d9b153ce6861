using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Organisations;
using Partnership.Functions.Pages.Components;
using Partnership.Workflows;

namespace Partnership.Functions.Pages.Organisations;

/// <summary>The applicant's organisation: its registered details, its people, and inviting a colleague.</summary>
[Authorize(Roles = nameof(Role.Applicant))]
public sealed class OrganisationModel(OrganisationStore organisations, OrganisationMembers members) : PageModel
{
    public const string Path = "/organisation";

    public Organisation Organisation { get; private set; } = null!;

    public IReadOnlyList<AppUser> Members { get; private set; } = [];

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    public bool Invited { get; private set; }

    public async Task<IActionResult> OnGetAsync(bool? invited, CancellationToken ct)
    {
        Invited = invited == true;
        return await LoadAsync(ct) ? Page() : LocalRedirect("/organisations/register");
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return LocalRedirect("/organisations/register");
        }

        var errors = await members.InviteAsync(User.Actor(), Name, Email, ct);
        if (errors.Count == 0)
        {
            return Redirect($"{Path}?invited=true");
        }

        ModelState.Clear();
        ModelState.AddAll(errors);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (User.Actor().OrganisationId is not { } id || await organisations.FindAsync(id, ct) is not { } organisation)
        {
            return false;
        }

        Organisation = organisation;
        Members = await members.ListAsync(id, ct);
        return true;
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Organisations;
using Partnership.Functions.Pages.Components;
using Partnership.Workflows;

namespace Partnership.Functions.Pages.Organisations;

/// <summary>
/// A person who belongs to several organisations chooses which one they act for: its bids are the ones they see and
/// work on, and a bid they start is its. The choice is theirs in the directory, so it holds in every session.
/// </summary>
[Authorize(Roles = nameof(Role.Applicant))]
public sealed class ChooseModel(UserDirectory users, OrganisationStore organisations) : PageModel
{
    public const string Path = "/organisations/choose";

    public IReadOnlyList<Organisation> Choices { get; private set; } = [];

    /// <summary>The organisation something the person opened belongs to, when it is not the one they act for.</summary>
    public Organisation? Wanted { get; private set; }

    [BindProperty]
    public string? OrganisationId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Where to go for something that belongs to <paramref name="organisationId"/>, coming back to <paramref name="returnUrl"/>.</summary>
    public static string For(string organisationId, string returnUrl) =>
        $"{Path}?for={Uri.EscapeDataString(organisationId)}&returnUrl={Uri.EscapeDataString(returnUrl)}";

    public async Task<IActionResult> OnGetAsync(string? @for, CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return LocalRedirect("/organisations/register");
        }

        Wanted = Choices.FirstOrDefault(o => o.Id == @for);
        OrganisationId = Wanted?.Id ?? User.Actor().OrganisationId;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return LocalRedirect("/organisations/register");
        }

        if (string.IsNullOrEmpty(OrganisationId) || await users.ActForAsync(User.Actor().UserId, OrganisationId, ct) is null)
        {
            ModelState.Clear();
            ModelState.AddModelError("organisationId", "Choose the organisation you are acting for.");
            OrganisationId = null;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return LocalRedirect(ReturnUrl is null ? Applicant.IndexModel.Path : DevelopmentSignInHandler.LocalOrHome(ReturnUrl));
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var user = await users.FindAsync(User.Actor().UserId, ct);
        var found = await Task.WhenAll((user?.Memberships ?? []).Select(id => organisations.FindAsync(id, ct)));
        Choices = [.. found.OfType<Organisation>().OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase)];
        return Choices.Count > 0;
    }
}

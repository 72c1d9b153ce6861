using System.Security.Claims;
using Partnership.Functions.Identity;
using Partnership.Workflows;

namespace Partnership.Functions.Pages.Components;

/// <summary>
/// The service navigation: the pages the signed-in person's role works from, the current one marked, and for someone
/// who acts for several organisations the way to change which.
/// </summary>
public sealed record NavigationItem(string Text, string Href, bool Current);

public static class Navigation
{
    private static readonly (string Text, string Href, Role[] Roles)[] Items =
    [
        ("Home", "/", RoleGroups.Everyone),
        ("Your bids", Applicant.IndexModel.Path, RoleGroups.Applicants),
        ("Your organisation", Organisations.OrganisationModel.Path, RoleGroups.Applicants),
        ("What needs you today", Coordinator.IndexModel.Path, RoleGroups.Coordinators),
        ("Decisions", Members.DecisionsModel.Path, RoleGroups.Members),
        ("Your interests", Interests.IndexModel.Path, RoleGroups.Members),
        ("Purchase orders and payments", Finance.IndexModel.Path, [Role.FinanceOfficer]),
        ("All bids", Bids.IndexModel.Path, RoleGroups.Staff),
        ("Budget lines", "/coordinator/budget", RoleGroups.Staff),
        ("Spend", "/coordinator/spend", RoleGroups.Staff),
        ("Board papers", Coordinator.PapersModel.Path, RoleGroups.Staff),
        ("Outcome measures", Outcomes.IndexModel.Path, RoleGroups.OutcomeReaders),
        ("Registers of interests", Audit.InterestsModel.Path, RoleGroups.RegisterReaders),
        ("Sign-ins", Audit.SignInsModel.Path, [Role.Auditor]),
        ("How you hear from us", Account.PreferencesModel.Path, RoleGroups.Everyone),
    ];

    public static IReadOnlyList<NavigationItem> For(ClaimsPrincipal user, PathString path)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true || !Enum.TryParse<Role>(user.FindFirstValue(ClaimTypes.Role), out var role))
        {
            return [];
        }

        var items = Items.Where(i => i.Roles.Contains(role)).Select(i => (i.Text, i.Href)).ToList();
        if (user.Memberships().Count > 1)
        {
            items.Insert(items.FindIndex(i => i.Href == Organisations.OrganisationModel.Path) + 1, ("Change organisation", Organisations.ChooseModel.Path));
        }

        return [.. items.Select(i => new NavigationItem(i.Text, i.Href, path.Equals(i.Href, StringComparison.OrdinalIgnoreCase)))];
    }
}

using System.Security.Claims;
using Partnership.Workflows;

namespace Partnership.Functions.Identity;

/// <summary>
/// The claims every sign-in scheme must produce: the user id, the role and (for applicants) the organisation.
/// The endpoints read only these, so a production scheme (Entra ID with app roles) can replace the development one.
/// </summary>
public static class AppClaims
{
    public const string Organisation = "pf_org";

    /// <summary>One for each organisation an applicant belongs to, so pages can offer to switch without asking the directory.</summary>
    public const string Membership = "pf_member";

    public static ClaimsPrincipal Principal(AppUser user, string scheme)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.DisplayName),
            new(ClaimTypes.Email, user.Email),
            new(ClaimTypes.Role, user.Role.ToString()),
        };
        if (user.OrganisationId is not null)
        {
            claims.Add(new Claim(Organisation, user.OrganisationId));
        }

        claims.AddRange(user.Memberships.Select(m => new Claim(Membership, m)));

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static IReadOnlyList<string> Memberships(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return [.. principal.FindAll(Membership).Select(c => c.Value)];
    }

    public static Actor Actor(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The signed-in user has no id.");
        var role = Enum.Parse<Role>(principal.FindFirstValue(ClaimTypes.Role) ?? throw new InvalidOperationException("The signed-in user has no role."));
        return new Actor(id, role, principal.FindFirstValue(Organisation));
    }
}

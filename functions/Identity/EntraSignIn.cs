using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;
using Partnership.Workflows;

namespace Partnership.Functions.Identity;

/// <summary>
/// The app registration staff sign in through: the section Microsoft.Identity.Web reads, and the partner tenants
/// (council, NHS, police) whose people may use it.
/// </summary>
public sealed class EntraOptions
{
    public const string Section = "AzureAd";

    public string Instance { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>"organizations" lets in any work account; <see cref="AllowedTenants"/> then says whose.</summary>
    public string TenantId { get; set; } = "organizations";

    public string? ClientId { get; set; }

    /// <summary>Redeems the code the page sign-in returns; a Key Vault reference in Azure.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Directory (tenant) ids of the partners whose accounts may sign in; any other is refused.</summary>
    public string[] AllowedTenants { get; set; } = [];

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>Each setting staff sign-in cannot run without, by the name it is set under.</summary>
    public IEnumerable<string> Missing()
    {
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            yield return $"{Section}:{nameof(ClientId)}";
        }

        if (string.IsNullOrWhiteSpace(ClientSecret))
        {
            yield return $"{Section}:{nameof(ClientSecret)}";
        }

        if (!AllowedTenants.Any(t => Guid.TryParse(t, out _)))
        {
            yield return $"{Section}:{nameof(AllowedTenants)} (at least one tenant id)";
        }

        if (!Uri.TryCreate(Instance, UriKind.Absolute, out var instance) || instance.Scheme != Uri.UriSchemeHttps)
        {
            yield return $"{Section}:{nameof(Instance)} (an https address)";
        }
    }
}

/// <summary>
/// The app roles of the registration (infra/entra/app-roles.json declares them) and the role each gives here. A
/// person holds one: the same person recommending at HCE and paying as finance would undo the separation of duties
/// the partnership's auditors rely on, so two roles give none until an administrator leaves one.
/// </summary>
public static class EntraAppRoles
{
    public const string BoardChair = "BoardChair";

    public static readonly IReadOnlyDictionary<string, Role> Roles = new Dictionary<string, Role>(StringComparer.Ordinal)
    {
        [nameof(Role.Coordinator)] = Role.Coordinator,
        [nameof(Role.HceMember)] = Role.HceMember,
        [nameof(Role.BoardMember)] = Role.BoardMember,
        [BoardChair] = Role.BoardMember,
        [nameof(Role.FinanceOfficer)] = Role.FinanceOfficer,
        [nameof(Role.Auditor)] = Role.Auditor,
        [nameof(Role.OutcomeLead)] = Role.OutcomeLead,
    };

    /// <summary>The role these app roles give, whether it chairs the Board, or why they give none.</summary>
    public static (Role? Role, bool Chair, string? Problem) Resolve(IEnumerable<string> appRoles)
    {
        var held = appRoles.Where(Roles.ContainsKey).ToHashSet(StringComparer.Ordinal);
        var chair = held.Contains(BoardChair);
        var roles = held.Select(r => Roles[r]).Distinct().ToList();
        return roles switch
        {
            [] => (null, false, "You have no role in Partnership Funds yet."),
            [var role] => (role, chair, null),
            _ => (null, false, $"You have been given more than one role in Partnership Funds ({string.Join(", ", held.Order(StringComparer.Ordinal))}), and a person may hold only one."),
        };
    }
}

/// <summary>
/// Turns a validated Entra ID token, from the page sign-in or the API's bearer header, into the claims the app reads:
/// only partner tenants, the role from the token's app roles, and the person kept in the directory (so prompts and
/// reminders reach them by role) from their first sign-in on.
/// </summary>
public sealed class EntraStaff(UserDirectory users, SignInAudit audit, IOptions<EntraOptions> options)
{
    /// <summary>Why a signed-in person can do nothing here, for the page that tells them.</summary>
    public const string NoRole = "pf_no_role";

    public const string Method = "Entra ID";

    public async Task<ClaimsPrincipal?> SignedInAsync(HttpContext http, ClaimsPrincipal token, string scheme, bool audited)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(token);
        var ct = http.RequestAborted;
        var tenant = token.GetTenantId();
        var objectId = token.GetObjectId();
        var email = token.FindFirstValue("preferred_username") ?? token.FindFirstValue(ClaimTypes.Email) ?? token.FindFirstValue("email") ?? "";
        if (tenant is null || !options.Value.AllowedTenants.Contains(tenant, StringComparer.OrdinalIgnoreCase) || objectId is null)
        {
            if (audited)
            {
                await audit.RecordAsync(http, SignInAudit.Refused, objectId, email, Method, $"tenant {tenant ?? "(none)"} is not a partner's", ct);
            }

            return null;
        }

        var appRoles = token.FindAll("roles").Concat(token.FindAll(ClaimTypes.Role)).Select(c => c.Value);
        var (role, chair, problem) = EntraAppRoles.Resolve(appRoles);
        var name = token.FindFirstValue("name") ?? email;
        if (role is not { } held)
        {
            if (audited)
            {
                await audit.RecordAsync(http, SignInAudit.Refused, objectId, email, Method, problem, ct);
            }

            return new ClaimsPrincipal(new ClaimsIdentity(
                [new(ClaimTypes.NameIdentifier, objectId), new(ClaimTypes.Name, name), new(ClaimTypes.Email, email), new(NoRole, problem!)],
                scheme));
        }

        var user = new AppUser(objectId, name, email, held, null, chair);
        if (await users.FindAsync(objectId, ct) != user)
        {
            await users.SaveAsync(user, ct);
        }

        if (audited)
        {
            await audit.RecordAsync(http, SignInAudit.SignedIn, objectId, email, Method, $"as {held}{(chair ? " (chair)" : "")}", ct);
        }

        return AppClaims.Principal(user, scheme);
    }

    /// <summary>Runs after Microsoft.Identity.Web's own checks on the page sign-in's ID token.</summary>
    internal static void Chain(OpenIdConnectEvents events)
    {
        var validated = events.OnTokenValidated;
        events.OnTokenValidated = async context =>
        {
            await validated(context);
            if (context.Result is not null || context.Principal is null)
            {
                return;
            }

            var staff = context.HttpContext.RequestServices.GetRequiredService<EntraStaff>();
            var principal = await staff.SignedInAsync(context.HttpContext, context.Principal, SignInSetup.Staff, audited: true);
            if (principal is null)
            {
                context.Fail("The account's organisation is not one of the partnership's.");
                return;
            }

            context.Principal = principal;
        };

        // A refused or abandoned sign-in comes back as a page saying so, not as an error.
        events.OnRemoteFailure = context =>
        {
            context.Response.Redirect("/sign-in/refused");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    /// <summary>Runs after Microsoft.Identity.Web's own checks on an API call's bearer token.</summary>
    internal static void Chain(JwtBearerEvents events)
    {
        var validated = events.OnTokenValidated;
        events.OnTokenValidated = async context =>
        {
            await validated(context);
            if (context.Result is not null || context.Principal is null)
            {
                return;
            }

            var staff = context.HttpContext.RequestServices.GetRequiredService<EntraStaff>();
            var principal = await staff.SignedInAsync(context.HttpContext, context.Principal, JwtBearerDefaults.AuthenticationScheme, audited: false);
            if (principal is null)
            {
                context.Fail("The token's tenant is not one of the partnership's.");
                return;
            }

            context.Principal = principal;
        };
    }

    /// <summary>Sends a person to their organisation's sign-in page, and back to where they were going.</summary>
    public static IResult Challenge(string? returnUrl) =>
        Results.Challenge(new AuthenticationProperties { RedirectUri = DevelopmentSignInHandler.LocalOrHome(returnUrl) }, [SignInSetup.Entra]);
}

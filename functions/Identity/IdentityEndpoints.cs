using System.Security.Claims;
using Microsoft.Extensions.Options;
using Partnership.Functions.Infrastructure;

namespace Partnership.Functions.Identity;

public static class IdentityEndpoints
{
    public static IEndpointRouteBuilder MapIdentity(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", async (ClaimsPrincipal user, UserDirectory users, CancellationToken ct) =>
            await users.FindAsync(user.Actor().UserId, ct) is { } me ? Results.Ok(me) : TypedResults.Problem(statusCode: 404, title: "Unknown user."))
            .WithTags("Identity").RequireRoles(RoleGroups.Everyone).WithName("GetMe");

        // A link, not a form, so the redirect to the organisation's sign-in page is a plain navigation.
        app.MapGet("/sign-in/staff", (string? returnUrl, IOptions<EntraOptions> entra) =>
            entra.Value.IsConfigured ? EntraStaff.Challenge(returnUrl) : TypedResults.Problem(statusCode: 404, title: "Staff sign-in through Entra ID is not set up here."))
            .ExcludeFromDescription().AllowAnonymous().RequireRateLimiting(SignInSetup.RateLimit);
        return app;
    }

    /// <summary>Development only: the storage calls this process has made, for the benchmark.</summary>
    public static IEndpointRouteBuilder MapDevelopmentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dev/storage-calls", (StorageCalls calls) => TypedResults.Ok(calls.Totals())).ExcludeFromDescription().AllowAnonymous();
        return app;
    }
}

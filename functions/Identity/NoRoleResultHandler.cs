using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Partnership.Functions.Identity;

/// <summary>
/// A person who is signed in but holds no role, opening a page, is shown the page that tells them so and whom to ask;
/// an API call, or anyone else refused, gets the status as before.
/// </summary>
public sealed class NoRoleResultHandler : IAuthorizationMiddlewareResultHandler
{
    public const string Path = "/no-access";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        var request = context.Request;
        if (authorizeResult.Forbidden
            && context.User.Identity?.IsAuthenticated == true
            && !context.User.HasClaim(c => c.Type == ClaimTypes.Role)
            && HttpMethods.IsGet(request.Method)
            && !request.Path.StartsWithSegments("/api")
            && request.GetTypedHeaders().Accept.Any(a => a.MediaType == "text/html"))
        {
            context.Response.Redirect(Path);
            return Task.CompletedTask;
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

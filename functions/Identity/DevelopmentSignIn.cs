using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Partnership.Functions.Identity;

/// <summary>
/// Sign-in for development and tests only: the caller names a user from the directory, by the
/// <c>X-Dev-User</c> header (API clients, tests) or the cookie the sign-in page sets (a browser).
/// <see cref="SignInSetup"/> registers it only in the Development and Testing environments.
/// </summary>
public sealed class DevelopmentSignInHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    UserDirectory users) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DevelopmentSignIn";
    public const string Header = "X-Dev-User";
    public const string Cookie = "pf-dev-user";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var userId = Request.Headers[Header].FirstOrDefault() ?? Request.Cookies[Cookie];
        if (string.IsNullOrWhiteSpace(userId))
        {
            return AuthenticateResult.NoResult();
        }

        var user = await users.FindAsync(userId, Context.RequestAborted);
        return user is null
            ? AuthenticateResult.Fail($"There is no user '{userId}'.")
            : AuthenticateResult.Success(new AuthenticationTicket(AppClaims.Principal(user, SchemeName), SchemeName));
    }

    /// <summary>Only a path on this site, so the sign-in page cannot be used to send someone elsewhere.</summary>
    public static string LocalOrHome(string? returnUrl) =>
        returnUrl is ['/', not '/' and not '\\', ..] ? returnUrl : "/";
}

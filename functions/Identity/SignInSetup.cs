using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Partnership.Functions.Identity;

/// <summary>
/// Who is signed in, and how. Every request is read by one policy scheme that hands it on: to the development sign-in
/// where that runs (Development and Testing only) and the request names a person, otherwise to the session cookie
/// that an emailed sign-in link sets. Pages read only the claims <see cref="AppClaims"/> makes, whichever it was.
/// </summary>
public static class SignInSetup
{
    public const string Scheme = "Partnership";
    public const string Session = "Session";
    public const string SessionCookie = "pf-session";
    public const string RateLimit = "sign-in";

    public static IServiceCollection AddPartnershipSignIn(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var development = environment.IsDevelopment() || environment.IsEnvironment("Testing");
        if (!development)
        {
            throw new InvalidOperationException(
                $"Staff sign-in for the {environment.EnvironmentName} environment is not built yet: the development sign-in runs only in Development and Testing, and Entra ID sign-in is still to come.");
        }

        services.AddOptions<EmailSignInOptions>().Bind(configuration.GetSection(EmailSignInOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignInLinks>();
        services.AddSingleton<SignInRequests>();
        services.AddHostedService<SignInMailer>();
        services.AddSingleton<SignInAudit>();

        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, null, o => o.ForwardDefaultSelector = context =>
                development && (context.Request.Headers.ContainsKey(DevelopmentSignInHandler.Header) || context.Request.Cookies.ContainsKey(DevelopmentSignInHandler.Cookie))
                    ? DevelopmentSignInHandler.SchemeName
                    : Session)
            .AddCookie(Session, o =>
            {
                o.Cookie.Name = SessionCookie;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.SlidingExpiration = true;
                o.LoginPath = "/sign-in";
                o.ReturnUrlParameter = "returnUrl";
                o.Events = new CookieAuthenticationEvents
                {
                    OnRedirectToLogin = ToSignInOr(StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = context =>
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return Task.CompletedTask;
                    },
                    OnValidatePrincipal = RefreshFromDirectoryAsync,
                };
            });
        services.AddOptions<CookieAuthenticationOptions>(Session).Configure<Microsoft.Extensions.Options.IOptions<EmailSignInOptions>>((o, settings) => o.ExpireTimeSpan = settings.Value.SessionLifetime);
        if (development)
        {
            authentication.AddScheme<AuthenticationSchemeOptions, DevelopmentSignInHandler>(DevelopmentSignInHandler.SchemeName, null);
        }

        services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(RateLimit, context =>
            {
                // Partitions are kept by key, so the unlimited one for reading a page has a key no client address can have.
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("page");
                }

                var settings = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmailSignInOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter($"client {context.Connection.RemoteIpAddress}", _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.PerClient, Window = settings.Window, QueueLimit = 0 });
            });
        });
        return services;
    }

    /// <summary>A person opening a page is sent to sign in and brought back; anything else gets the status alone.</summary>
    private static Func<RedirectContext<CookieAuthenticationOptions>, Task> ToSignInOr(int status) => context =>
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) && !request.Path.StartsWithSegments("/api") && request.GetTypedHeaders().Accept.Any(a => a.MediaType == "text/html"))
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = status;
        }

        return Task.CompletedTask;
    };

    /// <summary>
    /// Each request takes the person's role and organisation from the directory as they are now, so a change there
    /// (or their removal) applies at once rather than when the cookie runs out.
    /// </summary>
    private static async Task RefreshFromDirectoryAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        var user = id is null ? null : await context.HttpContext.RequestServices.GetRequiredService<UserDirectory>().FindAsync(id, context.HttpContext.RequestAborted);
        if (user is null)
        {
            context.RejectPrincipal();
            return;
        }

        context.ReplacePrincipal(AppClaims.Principal(user, Session));
    }
}

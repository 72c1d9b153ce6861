using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;

namespace Partnership.Functions.Identity;

/// <summary>
/// Who is signed in, and how. Every request is read by one policy scheme that hands it on: an API call with a bearer
/// token to Entra ID's token check; to the development sign-in where that runs (Development and Testing only) and the
/// request names a person; to the staff cookie the Entra ID page sign-in leaves; otherwise to the session cookie that
/// an emailed sign-in link sets. Pages read only the claims <see cref="AppClaims"/> makes, whichever it was.
/// </summary>
public static class SignInSetup
{
    public const string Scheme = "Partnership";
    public const string Session = "Session";
    public const string SessionCookie = "pf-session";
    public const string RateLimit = "sign-in";

    /// <summary>Staff signed in through Entra ID: the page sign-in's scheme and the cookie it leaves.</summary>
    public const string Entra = "Entra";
    public const string Staff = "Staff";
    public const string StaffCookie = "pf-staff";

    /// <summary>Signed in, with or without a role: only the page that says a person has none asks no more.</summary>
    public const string SignedIn = "signed-in";

    public static IServiceCollection AddPartnershipSignIn(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var development = environment.IsDevelopment() || environment.IsEnvironment("Testing");
        var entraSection = configuration.GetSection(EntraOptions.Section);
        var entra = entraSection.Get<EntraOptions>() ?? new EntraOptions();
        var missing = entra.Missing().ToList();
        if ((entra.IsConfigured || !development) && missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Staff sign in through Entra ID{(development ? "" : $", the only staff sign-in in the {environment.EnvironmentName} environment")}, and these settings are missing or wrong: {string.Join("; ", missing)}.");
        }

        services.AddOptions<EmailSignInOptions>().Bind(configuration.GetSection(EmailSignInOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EntraOptions>().Bind(entraSection);
        services.AddSingleton<SignInLinks>();
        services.AddSingleton<SignInRequests>();
        services.AddHostedService<SignInMailer>();
        services.AddSingleton<SignInAudit>();
        services.AddSingleton<EntraStaff>();

        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, null, o => o.ForwardDefaultSelector = context =>
                entra.IsConfigured && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? JwtBearerDefaults.AuthenticationScheme
                : development && (context.Request.Headers.ContainsKey(DevelopmentSignInHandler.Header) || context.Request.Cookies.ContainsKey(DevelopmentSignInHandler.Cookie)) ? DevelopmentSignInHandler.SchemeName
                : entra.IsConfigured && context.Request.Cookies.ContainsKey(StaffCookie) ? Staff
                : Session)
            .AddCookie(Session, o =>
            {
                Configure(o, SessionCookie, development);
                o.Events.OnValidatePrincipal = RefreshFromDirectoryAsync;
            });
        services.AddOptions<CookieAuthenticationOptions>(Session).Configure<IOptions<EmailSignInOptions>>((o, settings) => o.ExpireTimeSpan = settings.Value.SessionLifetime);
        if (development)
        {
            authentication.AddScheme<AuthenticationSchemeOptions, DevelopmentSignInHandler>(DevelopmentSignInHandler.SchemeName, null);
        }

        if (entra.IsConfigured)
        {
            // The staff cookie keeps the role the token gave until it runs out: Entra ID, not the directory, is the truth for staff.
            authentication.AddMicrosoftIdentityWebApp(entraSection, Entra, Staff);

            // The authorization code flow with PKCE: the ID token comes back over the app's own call with its secret,
            // never through the browser as Microsoft.Identity.Web's default (an ID token in the form post) would have it.
            services.Configure<MicrosoftIdentityOptions>(Entra, o => o.ResponseType = Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectResponseType.Code);
            authentication.AddMicrosoftIdentityWebApi(entraSection, JwtBearerDefaults.AuthenticationScheme);
            services.AddOptions<CookieAuthenticationOptions>(Staff).Configure<IOptions<EmailSignInOptions>>((o, settings) =>
            {
                Configure(o, StaffCookie, development);
                o.ExpireTimeSpan = settings.Value.SessionLifetime;
            });
            services.Configure<OpenIdConnectOptions>(Entra, o => EntraStaff.Chain(o.Events));
            services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o => EntraStaff.Chain(o.Events));
        }

        // Signed in is not enough: only a role lets anyone past the pages anybody may open. A person Entra ID knows but
        // the partnership has given no role is shown the page that says so.
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim(ClaimTypes.Role).Build())
            .AddPolicy(SignedIn, p => p.RequireAuthenticatedUser());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, NoRoleResultHandler>();
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(RateLimit, context =>
            {
                // Partitions are kept by key, so the unlimited one for reading a page has a key no client address can have.
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("page");
                }

                var settings = context.RequestServices.GetRequiredService<IOptions<EmailSignInOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter($"client {context.Connection.RemoteIpAddress}", _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.PerClient, Window = settings.Window, QueueLimit = 0 });
            });
        });
        return services;
    }

    private static void Configure(CookieAuthenticationOptions o, string name, bool development)
    {
        o.Cookie.Name = name;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        o.SlidingExpiration = true;
        o.LoginPath = "/sign-in";
        o.ReturnUrlParameter = "returnUrl";
        o.Events.OnRedirectToLogin = ToSignInOr(StatusCodes.Status401Unauthorized);
        o.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
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
        var id = context.Principal?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var user = id is null ? null : await context.HttpContext.RequestServices.GetRequiredService<UserDirectory>().FindAsync(id, context.HttpContext.RequestAborted);
        if (user is null)
        {
            context.RejectPrincipal();
            return;
        }

        context.ReplacePrincipal(AppClaims.Principal(user, Session));
    }
}

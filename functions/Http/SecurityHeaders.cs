namespace Partnership.Functions.Http;

/// <summary>
/// The headers every response carries, pages, API answers, errors and static files alike: a Content-Security-Policy
/// that runs only the app's own script files (no page has inline script or style), no framing except by Teams for
/// the pages Teams opens, HSTS, no MIME sniffing, no Referer (decision links carry a token in their path) and no
/// caching of anything but the static assets.
/// </summary>
public static class SecurityHeaders
{
    public const string TeamsAncestors = "'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.office.com";

    public static string Policy(string frameAncestors, bool inlineStyles = false) =>
        $"default-src 'self'; script-src 'self'; style-src 'self'{(inlineStyles ? " 'unsafe-inline'" : "")}; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + $"form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors {frameAncestors}";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            Apply(context);
            return Task.CompletedTask;
        });
        return next(context);
    });

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        var metadata = context.GetEndpoint()?.Metadata;
        var framedByTeams = metadata?.GetMetadata<FramedByTeamsOnlyAttribute>() is not null;
        // A response that set its own policy (a document download's sandbox) keeps it: it is stricter than any page's.
        if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
        {
            headers.ContentSecurityPolicy = Policy(framedByTeams ? TeamsAncestors : "'none'", metadata?.GetMetadata<ShowsEmailAsSentAttribute>() is not null);
        }
        if (!framedByTeams)
        {
            headers.XFrameOptions = "DENY";
        }

        headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        if (!context.Request.Path.StartsWithSegments("/assets") && string.IsNullOrEmpty(headers.CacheControl))
        {
            headers.CacheControl = "no-store";
        }
    }
}

/// <summary>
/// Marks a page or endpoint that Teams opens inside itself: Teams (and this site) may frame it, nobody else.
/// Read by <see cref="SecurityHeaders"/> from the endpoint's metadata.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class FramedByTeamsOnlyAttribute : Attribute;

/// <summary>
/// Marks the development outbox, which shows each email's HTML as sent: email carries its styles inline, so that
/// page alone may apply inline styles (never inline script).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ShowsEmailAsSentAttribute : Attribute;

public static class TeamsFraming
{
    public static TBuilder FramedByTeamsOnly<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FramedByTeamsOnlyAttribute());
}

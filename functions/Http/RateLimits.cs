using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Partnership.Functions.Http;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests a minute from one client address to the pages and documents decision links open.</summary>
    [Range(1, 100_000)]
    public int LinksPerMinute { get; set; } = 60;

    /// <summary>Requests a minute from one client address to SendGrid's webhooks (events arrive in bursts).</summary>
    [Range(1, 100_000)]
    public int WebhooksPerMinute { get; set; } = 600;
}

/// <summary>
/// The limits on what anyone may call without signing in: decision links and the webhooks, each per client address
/// (the sign-in pages have their own, in <see cref="Identity.SignInSetup"/>). A refused request, of any of them, gets
/// a 429 that says to wait.
/// </summary>
public static class RateLimits
{
    public const string Links = "links";
    public const string Webhooks = "webhooks";

    public static IServiceCollection AddPartnershipRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Links, context => PerClient(context, Links, s => s.LinksPerMinute));
            o.AddPolicy(Webhooks, context => PerClient(context, Webhooks, s => s.WebhooksPerMinute));
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many requests from here. Wait a few minutes and try again.", ct);
            };
        });
        return services;
    }

    private static RateLimitPartition<string> PerClient(HttpContext context, string policy, Func<RateLimitOptions, int> limit)
    {
        var settings = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        return RateLimitPartition.GetFixedWindowLimiter($"{policy} {context.Connection.RemoteIpAddress}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit(settings),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }
}

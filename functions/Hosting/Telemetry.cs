using System.Diagnostics;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Partnership.Functions.Hosting;

/// <summary>
/// Traces, metrics and logs through OpenTelemetry, exported to Application Insights when its connection string is set
/// (APPLICATIONINSIGHTS_CONNECTION_STRING, a Key Vault reference in Azure). Every span about a bid carries its id as
/// <see cref="BidId"/>: the request's span (from its route), a command's and an effect's, and every span beneath them.
/// </summary>
public static class Telemetry
{
    public const string BidId = "bid.id";
    public const string ConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string Authentication = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static readonly ActivitySource Source = new("Partnership.Functions");

    public static IServiceCollection AddPartnershipTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var telemetry = services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(Source.Name, "Microsoft.AspNetCore").AddProcessor(new BidIdProcessor()));
        if (!string.IsNullOrWhiteSpace(configuration[ConnectionString]))
        {
            telemetry.UseAzureMonitor(o =>
            {
                o.ConnectionString = configuration[ConnectionString];
                // The Bicep template turns off Application Insights' local keys: the app signs in with its managed identity.
                if (configuration[Authentication]?.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase) == true)
                {
                    o.Credential = new Azure.Identity.DefaultAzureCredential();
                }
            });
        }

        return services;
    }

    /// <summary>A span for work on one bid, tagged with its id; null when nobody is listening.</summary>
    public static Activity? StartBidActivity(string name, string bidId) =>
        Source.StartActivity(name)?.SetTag(BidId, bidId);

    /// <summary>
    /// A command's span also carries the id as baggage, which crosses the hop to the engine's sidecar with the trace
    /// context, so the sidecar's spans carry it too. Only commands do: they call nothing outside the app and its own
    /// storage, where effects call SendGrid and Graph, which need not learn a bid's id.
    /// </summary>
    public static Activity? StartCommandActivity(string bidId, string command) =>
        StartBidActivity("bid command", bidId)?.SetTag("bid.command", command).AddBaggage(BidId, bidId);

    /// <summary>Tags the request's span with the bid its route names, so the request and all beneath it carry it.</summary>
    public static IApplicationBuilder UseBidIdOnSpans(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.GetRouteValue("bidId") is string bidId && Activity.Current is { } activity)
        {
            activity.SetTag(BidId, bidId);
        }

        return next(context);
    });

    /// <summary>Gives a span the bid id of the nearest span above it in this process that has one, or of its baggage.</summary>
    private sealed class BidIdProcessor : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (data.GetTagItem(BidId) is not null)
            {
                return;
            }

            for (var parent = data.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent.GetTagItem(BidId) is { } bidId)
                {
                    data.SetTag(BidId, bidId);
                    return;
                }
            }

            if (data.GetBaggageItem(BidId) is { } carried)
            {
                data.SetTag(BidId, carried);
            }
        }
    }
}

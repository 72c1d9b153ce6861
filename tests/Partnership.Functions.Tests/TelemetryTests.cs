using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Partnership.Functions.Hosting;
using Partnership.Functions.Tests.Support;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

/// <summary>Every span about a bid carries its id: the request's, the command's and each span beneath them.</summary>
public class TelemetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_request_about_a_bid_and_every_span_beneath_it_carry_the_bid_id()
    {
        var spans = new List<Activity>();
        await using var app = new AppFactory(azurite, services: s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        await app.SeedAsync();
        var bidId = await StartAsync(app.ClientFor("applicant-kca"));

        await app.ClientFor("applicant-kca").CommandAsync($"/api/bids/{bidId}/submit").Ok();
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();

        List<Activity> submitted;
        lock (spans)
        {
            // Activity listeners are process-wide, so this app's exporter also sees the spans of tests running beside it.
            var command = spans.Single(a => a.OperationName == "bid command" && (string?)a.GetTagItem("bid.command") == "Submit" && (string?)a.GetTagItem(Telemetry.BidId) == bidId);
            submitted = [.. spans.Where(a => a.TraceId == command.TraceId)];
        }

        Assert.Contains(submitted, a => a.Kind == ActivityKind.Server && a.Source.Name == "Microsoft.AspNetCore");
        Assert.All(submitted, a => Assert.Equal(bidId, a.GetTagItem(Telemetry.BidId)));
    }
}

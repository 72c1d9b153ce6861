using System.Net;
using Partnership.Functions.Tests.Support;

namespace Partnership.Functions.Tests;

/// <summary>What anyone may call without signing in is limited per client address: decision links and the webhooks.</summary>
public class RateLimitTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_client_opening_decision_links_or_calling_the_webhooks_too_often_is_told_to_wait()
    {
        await using var app = new AppFactory(azurite, settings: new Dictionary<string, string> { ["RateLimits:LinksPerMinute"] = "3", ["RateLimits:WebhooksPerMinute"] = "2" });
        await app.SeedAsync();
        var (_, links) = await DecisionPrompts.AwaitingHceAsync(app);
        var anonymous = app.ClientFor(null);

        var opened = new List<HttpStatusCode>();
        foreach (var _ in Enumerable.Range(0, 4))
        {
            opened.Add((await anonymous.GetAsync(links["hce"])).StatusCode);
        }

        var posted = new List<HttpStatusCode>();
        foreach (var _ in Enumerable.Range(0, 3))
        {
            posted.Add((await anonymous.PostAsync("/webhooks/sendgrid/events", new StringContent("[]", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], opened);
        Assert.Equal(HttpStatusCode.TooManyRequests, posted[^1]);
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, posted.Take(2));
        Assert.Contains("Wait a few minutes", await (await anonymous.GetAsync(links["hce"])).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

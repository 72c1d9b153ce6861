using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Core;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

public class TeamsTests(AzuriteFixture azurite)
{
    private const string TeamsAppId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    private const string HceObjectId = "7d0c5c6a-0a3b-4a5e-9d4e-2f1f0c9b8a11";

    /// <summary>The real Graph client, pointed at the stub, with a token credential that needs no sign-in service.</summary>
    private static AppFactory WithGraph(AzuriteFixture azurite, StubServer graph) => new(
        azurite,
        services: s => s.AddKeyedSingleton<TokenCredential>(GraphTeamsChannel.CredentialKey, new FixedTokenCredential()),
        settings: new Dictionary<string, string>
        {
            ["Teams:TeamsAppId"] = TeamsAppId,
            ["Teams:TenantId"] = "4b1a5f0e-5c2d-4d3e-8f9a-0b1c2d3e4f50",
            ["Teams:ClientId"] = "6731de76-14a6-49ae-97bc-6eba6914391e",
            ["Teams:ClientSecret"] = "not-used-by-the-fixed-credential",
            ["Teams:GraphBaseUrl"] = $"{graph.Address}/v1.0",
        });

    private static async Task ChooseAsync(AppFactory app, string userId, string channels, string? teamsUserId = null) =>
        await app.ClientFor(userId).PutAsJsonAsync("/api/me/preferences", new { channels, teamsUserId }).Ok();

    private static async Task<string> AwaitingHceAsync(AppFactory app)
    {
        var bidId = await SubmittedAsync(app);
        await DrainAsync(app);
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
        return bidId;
    }

    private static Dictionary<string, string> Query(string url) =>
        new Uri(url).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));

    [Fact]
    public async Task A_decision_prompt_reaches_teams_through_graph_and_opens_the_approvers_own_decision_page()
    {
        await using var graph = await StubServer.StartAsync(success: 204);
        await using var app = WithGraph(azurite, graph);
        await app.SeedAsync();
        await ChooseAsync(app, "hce", "Teams", HceObjectId);
        await ChooseAsync(app, "hce-2", "Both");
        var bidId = await AwaitingHceAsync(app);
        await DrainAsync(app);

        Assert.Equal(
            [$"/v1.0/users/{HceObjectId}/teamwork/sendActivityNotification", "/v1.0/users/hce2@example.org/teamwork/sendActivityNotification"],
            graph.Requests.Select(r => r.Path).Order(StringComparer.Ordinal));
        var request = graph.Requests.Single(r => r.Path.Contains(HceObjectId, StringComparison.Ordinal));
        Assert.Equal(("POST", "Bearer graph-test-token"), (request.Method, request.Headers["Authorization"]));
        var body = request.Body;
        Assert.Equal("decisionRequested", body.GetProperty("activityType").GetString());
        Assert.Equal(TeamsAppId, body.GetProperty("teamsAppId").GetString());
        Assert.StartsWith("Please recommend approval", body.GetProperty("previewText").GetProperty("content").GetString(), StringComparison.Ordinal);
        var parameter = Assert.Single(body.GetProperty("templateParameters").EnumerateArray());
        Assert.Equal(("bidTitle", "Top Families Project"), (parameter.GetProperty("name").GetString(), parameter.GetProperty("value").GetString()));
        var topic = body.GetProperty("topic");
        Assert.Equal(("text", "Top Families Project"), (topic.GetProperty("source").GetString(), topic.GetProperty("value").GetString()));
        var deepLink = topic.GetProperty("webUrl").GetString()!;
        Assert.StartsWith($"https://teams.microsoft.com/l/entity/{TeamsAppId}/decisions?", deepLink, StringComparison.Ordinal);
        var open = JsonDocument.Parse(Query(deepLink)["context"]).RootElement.GetProperty("subEntityId").GetString()!;
        Assert.StartsWith("/decisions/", open, StringComparison.Ordinal);
        Assert.Equal($"http://localhost{open}", Query(deepLink)["webUrl"]);

        var messages = await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None);
        var prompts = messages.Where(m => m.Template == "decision-prompt-hce").Select(m => (m.To, m.Channel, m.Status)).Order().ToList();
        Assert.Equal([("hce", "teams", "Sent"), ("hce-2", "email", "Sent"), ("hce-2", "teams", "Sent")], prompts);

        // The tab Teams opens takes the person to the page the notification named, which Teams alone may frame.
        var tab = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var redirect = await tab.GetAsync($"/teams/tab?open={Uri.EscapeDataString(open)}");
        Assert.Equal((HttpStatusCode.Redirect, open), (redirect.StatusCode, redirect.Headers.Location?.OriginalString));
        var page = await tab.GetAsync(open);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Top Families Project", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self' https://teams.microsoft.com", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        var elsewhere = await tab.GetAsync($"/teams/tab?open={Uri.EscapeDataString("https://evil.example.org/")}");
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Contains("activity feed", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_honours_retry_after_and_a_throttle_that_outlasts_the_retries_is_tried_again_by_the_bid()
    {
        await using var graph = await StubServer.StartAsync(success: 204);
        await using var app = WithGraph(azurite, graph);
        await app.SeedAsync();
        await ChooseAsync(app, "hce", "Teams");
        var bidId = await AwaitingHceAsync(app);

        graph.Throttle(times: 2, retryAfterSeconds: 0);
        await DrainAsync(app);
        Assert.Equal(3, graph.Requests.Count(r => r.Path == "/v1.0/users/hce@example.org/teamwork/sendActivityNotification"));
        Assert.Single(await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None), m => m.To == "hce" && m.Channel == "teams" && m.Status == "Sent");

        // The Graph client retries three times; a fourth 429 fails the effect's first attempt, and the orchestration tries it again.
        await HceRecommendsAsync(app, bidId, new { decision = "Defer", deferUntil = "2027-01-12", reasons = "Awaiting the project plan" });
        await DrainAsync(app);
        var before = graph.Requests.Count;
        graph.Throttle(times: 4, retryAfterSeconds: 0);
        await AdvanceAndFireAsync(app, TimeSpan.FromDays(60));
        var prompt = (await app.Get<BidRepository>().OutboxAsync(bidId, CancellationToken.None)).Last(e => e.Effect is Notify { Template: "decision-prompt-hce" });
        Assert.Equal((5, 2, (DateTimeOffset?)null), (graph.Requests.Count - before, prompt.Attempts, prompt.FailedAt));
        Assert.NotNull(prompt.DoneAt);
        Assert.Contains("429", prompt.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_teams_refuses_gets_the_email_instead_and_the_refusal_stays_on_record()
    {
        await using var graph = await StubServer.StartAsync(success: 204);
        await using var app = WithGraph(azurite, graph);
        await app.SeedAsync();
        await ChooseAsync(app, "hce", "Teams");
        var bidId = await AwaitingHceAsync(app);

        graph.AnswerNext(403);
        await DrainAsync(app);

        var prompt = (await app.Get<BidRepository>().OutboxAsync(bidId, CancellationToken.None)).Single(e => e.Effect is Notify { Template: "decision-prompt-hce" });
        Assert.Equal((true, (DateTimeOffset?)null), (prompt.DoneAt is not null, prompt.FailedAt));
        var toHce = (await app.ClientFor("coordinator").GetFromJsonAsync<JsonElement>($"/api/bids/{bidId}/messages"))
            .EnumerateArray().Where(m => m.GetProperty("to").GetString() == "hce" && m.GetProperty("template").GetString() == "decision-prompt-hce")
            .ToDictionary(m => m.GetProperty("channel").GetString()!, m => (Status: m.GetProperty("status").GetString(), Detail: m.GetProperty("detail").GetString()));
        Assert.Equal("Sent", toHce["email"].Status);
        Assert.Equal("Failed", toHce["teams"].Status);
        Assert.StartsWith("Teams refused the notification (403 Refused): refused by the stub", toHce["teams"].Detail, StringComparison.Ordinal);
        Assert.EndsWith("Sent by email instead.", toHce["teams"].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task News_goes_to_teams_as_an_update_that_opens_the_bid()
    {
        await using var graph = await StubServer.StartAsync(success: 204);
        await using var app = WithGraph(azurite, graph);
        await app.SeedAsync();
        await ChooseAsync(app, "applicant-kca", "Teams");
        var bidId = await SubmittedAsync(app);
        await DrainAsync(app);

        var received = Assert.Single(graph.Requests).Body;
        Assert.Equal("bidUpdated", received.GetProperty("activityType").GetString());
        var parameter = Assert.Single(received.GetProperty("templateParameters").EnumerateArray());
        Assert.Equal(("subject", "We have received your bid: Top Families Project"), (parameter.GetProperty("name").GetString(), parameter.GetProperty("value").GetString()));
        var context = Query(received.GetProperty("topic").GetProperty("webUrl").GetString()!)["context"];
        Assert.Equal($"/api/bids/{bidId}", JsonDocument.Parse(context).RootElement.GetProperty("subEntityId").GetString());
        Assert.DoesNotContain(await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None), m => m.To == "applicant-kca" && m.Channel == "email");
    }

    private sealed class FixedTokenCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("graph-test-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}

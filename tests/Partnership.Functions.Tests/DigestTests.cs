using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;
using static Partnership.Functions.Tests.Support.SendGridStub;

namespace Partnership.Functions.Tests;

public class DigestTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset TuesdayDigest = new(2026, 11, 24, 8, 0, 30, TimeSpan.Zero);

    /// <summary>A coordinator on the digest, and two routine updates about one bid held for them since Monday's digest.</summary>
    private static async Task<(AppFactory App, string BidId)> TwoUpdatesHeldAsync(AzuriteFixture azurite, StubServer stub)
    {
        var app = WithSendGrid(azurite, stub);
        await app.SeedAsync();
        await app.ClientFor("coordinator").PutAsJsonAsync("/api/me/preferences", new { channels = "Email", dailyDigest = true }).Ok();
        var bidId = await SubmittedAsync(app);
        await DrainAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(1));
        var bid = (await app.Get<BidRepository>().LoadAsync(bidId, CancellationToken.None))!.State;
        await app.Get<INotificationSender>().SendAsync(bid, "fx-returned", new Notify(Audience.Coordinators, "signed-contract-returned"), CancellationToken.None);
        return (app, bidId);
    }

    private static Task<int> DigestScheduleAsync(AppFactory app) => app.Get<DigestSender>().SendDueAsync(CancellationToken.None);

    private static async Task<int> HeldAsync(AppFactory app, string userId)
    {
        var count = 0;
        await foreach (var _ in app.Get<Storage>().Digests.QueryAsync<TableEntity>(e => e.PartitionKey == userId))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task Routine_news_waits_for_the_next_scheduled_digest_which_goes_once_with_everything_held()
    {
        await using var stub = await StubServer.StartAsync();
        var (app, bidId) = await TwoUpdatesHeldAsync(azurite, stub);
        await using var _ = app;

        Assert.Empty(To(stub, "coordinator@example.org"));
        Assert.Equal(2, await HeldAsync(app, "coordinator"));
        Assert.All(
            (await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None)).Where(m => m.To == "coordinator"),
            m => Assert.Equal(("digest", MessageLog.Held), (m.Channel, m.Status)));
        Assert.Equal(0, await DigestScheduleAsync(app));

        app.Clock.SetUtcNow(TuesdayDigest);
        Assert.Equal(1, await DigestScheduleAsync(app));
        Assert.Equal(0, await DigestScheduleAsync(app));

        var digest = Assert.Single(To(stub, "coordinator@example.org"));
        Assert.Equal("Partnership Funds digest for Tuesday 24 November 2026: 2 updates", Subject(digest));
        var submitted = Text(digest).IndexOf("New bid to screen: Top Families Project", StringComparison.Ordinal);
        var returned = Text(digest).IndexOf("Signed contract returned: Top Families Project", StringComparison.Ordinal);
        Assert.True(submitted > 0 && returned > submitted, Text(digest));
        Assert.Contains($"http://localhost/api/bids/{bidId}", Text(digest), StringComparison.Ordinal);
        Assert.Equal(0, await HeldAsync(app, "coordinator"));
    }

    [Fact]
    public async Task Urgent_news_and_other_peoples_messages_are_not_held()
    {
        await using var stub = await StubServer.StartAsync();
        var (app, bidId) = await TwoUpdatesHeldAsync(azurite, stub);
        await using var _ = app;
        var bid = (await app.Get<BidRepository>().LoadAsync(bidId, CancellationToken.None))!.State;

        await app.Get<INotificationSender>().SendAsync(bid, "fx-bounced", new Notify(Audience.Coordinators, "prompt-undelivered"), CancellationToken.None);

        Assert.Equal(["Approval prompt not delivered: Top Families Project"], To(stub, "coordinator@example.org").Select(Subject));
        Assert.Contains(To(stub, "bids@kca.example.org"), m => Subject(m) == "We have received your bid: Top Families Project");
    }

    [Fact]
    public async Task A_digest_repeated_after_a_crash_sends_nobody_theirs_twice()
    {
        await using var stub = await StubServer.StartAsync();
        var (app, _) = await TwoUpdatesHeldAsync(azurite, stub);
        await using var __ = app;
        var held = new List<TableEntity>();
        await foreach (var row in app.Get<Storage>().Digests.QueryAsync<TableEntity>(e => e.PartitionKey == "coordinator"))
        {
            held.Add(row);
        }

        app.Clock.SetUtcNow(TuesdayDigest);
        Assert.Equal(1, await app.Get<DigestSender>().SendDueAsync(CancellationToken.None));

        // As if the process died after SendGrid took the digest, before the held items and the run were recorded.
        foreach (var row in held)
        {
            await app.Get<Storage>().Digests.UpsertEntityAsync(row);
        }

        await app.Get<Storage>().Digests.DeleteEntityAsync("~run", TuesdayDigest.AddSeconds(-30).UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, await app.Get<DigestSender>().SendDueAsync(CancellationToken.None));

        Assert.Single(To(stub, "coordinator@example.org"));
        Assert.Equal(0, await HeldAsync(app, "coordinator"));
    }

    [Fact]
    public async Task A_refused_digest_keeps_its_news_for_the_next_one()
    {
        await using var stub = await StubServer.StartAsync();
        var (app, _) = await TwoUpdatesHeldAsync(azurite, stub);
        await using var __ = app;

        app.Clock.SetUtcNow(TuesdayDigest);
        stub.AnswerNext(400);
        Assert.Equal(0, await app.Get<DigestSender>().SendDueAsync(CancellationToken.None));
        Assert.Equal(2, await HeldAsync(app, "coordinator"));
        Assert.Contains(await app.Get<MessageLog>().ListAsync("", CancellationToken.None), m => m.Template == "daily-digest" && m.Status == MessageLog.Failed);

        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await app.Get<DigestSender>().SendDueAsync(CancellationToken.None));
        Assert.Equal(
            ["Partnership Funds digest for Tuesday 24 November 2026: 2 updates", "Partnership Funds digest for Wednesday 25 November 2026: 2 updates"],
            To(stub, "coordinator@example.org").Select(Subject));
        Assert.Equal(0, await HeldAsync(app, "coordinator"));
    }
}

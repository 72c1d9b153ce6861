using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Partnership.Functions.Budgets;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Tests;

/// <summary>
/// The engine across processes, each the app as built with its own worker on one task hub: a worker killed after
/// every step and started again, and two workers sharing the bids.
/// </summary>
public class EngineProcessTests(AzuriteFixture azurite)
{
    /// <summary>A store that runs no worker of its own, to seed the data and read what the workers did.</summary>
    private AppFactory Store(int partitions = 1) => new(azurite, settings: new Dictionary<string, string>
    {
        ["Engine:RunWorker"] = "false",
        ["Engine:PartitionCount"] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private static async Task<BuiltApp> StartAsync(AzuriteFixture azurite, string prefix, int partitions = 1)
    {
        var app = BuiltApp.Start(azurite, prefix, new Dictionary<string, string>
        {
            ["Engine__PartitionCount"] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.OK, (await app.HealthAsync())?.StatusCode);
        return app;
    }

    private static async Task<HttpResponseMessage> SendAsync(BuiltApp app, string user, string path, object? body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.Add("Idempotency-Key", key);
        request.Headers.Add(Identity.DevelopmentSignInHandler.Header, user);
        return await app.Client.SendAsync(request);
    }

    [Fact]
    public async Task A_worker_killed_after_every_step_and_started_again_loses_no_command_and_applies_none_twice()
    {
        await using var store = Store();
        await store.SeedAsync();
        var app = await StartAsync(azurite, store.Prefix);
        try
        {
            var started = await SendAsync(app, "applicant-kca", "/api/bids", Support.Bids.Proposal(revenue: 20_000m), "start");
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
            var bidId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bidId").GetString()!;
            var document = await Support.Bids.UploadOkAsync(WithUser(app, "applicant-kca"), bidId, "BusinessCase");
            Assert.StartsWith("doc-", document, StringComparison.Ordinal);

            // A vote names the motion before the body, which the bid's detail gives once the step before has put it.
            async Task<object?> Vote()
            {
                var detail = await WithUser(app, "coordinator").GetFromJsonAsync<JsonElement>($"/api/bids/{bidId}");
                return new { motionId = detail.GetProperty("bid").GetProperty("motions").EnumerateArray().Last().GetProperty("id").GetString(), vote = "Agrees" };
            }

            var steps = new (string User, string Path, Func<Task<object?>> Body)[]
            {
                ("applicant-kca", $"/api/bids/{bidId}/submit", () => Task.FromResult<object?>(null)),
                ("coordinator", $"/api/bids/{bidId}/hce-referral", () => Task.FromResult<object?>(null)),
                ("hce", $"/api/bids/{bidId}/hce-recommendation", () => Task.FromResult<object?>(new { decision = "Approve", revenue = 20_000m, capital = 0m, budgetLineId = AppFactory.Line })),
                ("hce-2", $"/api/bids/{bidId}/votes", Vote),
                ("board-chair", $"/api/bids/{bidId}/votes", Vote),
                ("board", $"/api/bids/{bidId}/votes", Vote),
                ("coordinator", $"/api/bids/{bidId}/contract/sent", () => Task.FromResult<object?>(null)),
            };
            foreach (var (user, path, makeBody) in steps)
            {
                var body = await makeBody();
                var answer = await SendAsync(app, user, path, body, $"step:{path}:{user}");
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                var text = await answer.Content.ReadAsStringAsync();

                // Killed with the step's effects perhaps still on their way; the next worker carries them out.
                await app.DisposeAsync();
                app = await StartAsync(azurite, store.Prefix);
                var again = await SendAsync(app, user, path, body, $"step:{path}:{user}");
                Assert.Equal((HttpStatusCode.OK, text), (again.StatusCode, await again.Content.ReadAsStringAsync()));
            }
        }
        finally
        {
            await app.DisposeAsync();
        }

        var restarted = await StartAsync(azurite, store.Prefix);
        await using (restarted)
        {
            await Support.Bids.DrainAsync(store);
        }

        var bid = Assert.Single(await AllBidsAsync(store));
        var state = await Support.Bids.StateAsync(store, bid);
        Assert.Equal(BidStage.Contracting, state.Stage);
        var history = await store.Get<BidRepository>().HistoryAsync(bid, CancellationToken.None);
        Assert.Equal(history.Count, history.Select(h => (h.Version, h.Event.GetType())).Distinct().Count());
        Assert.Single(history, h => h.Event is BoardApproved);
        Assert.Equal(state.Version, history.Max(h => h.Version));
        var effects = await store.Get<BidRepository>().OutboxAsync(bid, CancellationToken.None);
        Assert.All(effects, e => Assert.NotNull(e.DoneAt));
        var messages = await store.Get<MessageLog>().ListAsync(bid, CancellationToken.None);
        Assert.Equal(messages.Count, messages.Select(m => (m.EffectId, m.To, m.Channel)).Distinct().Count());
        Assert.Equal(effects.Count(e => e.Effect is Notify), messages.Select(m => m.EffectId).Distinct().Count());
        var line = (await store.Get<BudgetLedger>().FindAsync(AppFactory.Line, CancellationToken.None))!;
        Assert.Equal(new Funding(20_000m, 0m), line.Allocations[bid]);
    }

    [Fact]
    public async Task Two_worker_processes_on_one_task_hub_share_the_bids_and_each_bid_is_applied_once()
    {
        const int partitions = 4;
        await using var store = Store(partitions);
        await store.SeedAsync();
        await using var first = await StartAsync(azurite, store.Prefix, partitions);
        await using var second = await StartAsync(azurite, store.Prefix, partitions);
        var owners = await PartitionOwnersAsync(store, partitions, first, second);

        var bids = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            var via = i % 2 == 0 ? first : second;
            var started = await SendAsync(via, "applicant-kca", "/api/bids", Support.Bids.Proposal(title: $"Shared bid {i}"), $"shared-{i}");
            Assert.Equal(HttpStatusCode.Created, started.StatusCode);
            var bidId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bidId").GetString()!;
            var edited = await SendAsync(via == first ? second : first, "applicant-kca", $"/api/bids/{bidId}/withdrawal", new { reason = "Shared out." }, $"withdraw-{i}");
            Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
            return bidId;
        }));

        var workers = bids.Select(b => owners[PartitionOf(b, partitions)]).ToHashSet();
        Assert.Equal(2, workers.Count);
        foreach (var bidId in bids)
        {
            var history = await store.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None);
            Assert.Equal([nameof(BidStarted), nameof(BidWithdrawn)], history.Select(h => h.Event.GetType().Name));
            Assert.Equal(BidStage.Withdrawn, (await Support.Bids.StateAsync(store, bidId)).Stage);
        }
    }

    /// <summary>Which worker process holds each partition, once the two have shared them out.</summary>
    private async Task<string[]> PartitionOwnersAsync(AppFactory store, int partitions, BuiltApp first, BuiltApp second)
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient($"{store.Prefix}taskhubPartitions");
        var expected = new[] { first, second }.Select(a => $"{Environment.MachineName}-{a.ProcessId}").ToHashSet();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var owners = new string[partitions];
            await foreach (var row in table.QueryAsync<TableEntity>())
            {
                owners[int.Parse(row.RowKey[^2..], System.Globalization.CultureInfo.InvariantCulture)] = row.GetString("CurrentOwner");
            }

            if (owners.All(o => o is not null && expected.Contains(o)) && owners.Distinct().Count() == 2)
            {
                return owners;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"The two workers did not share the partitions: {string.Join(", ", owners)}");
            await Task.Delay(500);
        }
    }

    /// <summary>The Azure Storage provider puts an instance on control queue FNV-1a(instance id, UTF-8) modulo the partitions.</summary>
    private static int PartitionOf(string instanceId, int partitions)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(instanceId))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash % (uint)partitions);
    }

    private static async Task<List<string>> AllBidsAsync(AppFactory store)
    {
        var bids = new List<string>();
        await foreach (var row in store.Get<Infrastructure.Storage>().Bids.QueryAsync<TableEntity>("RowKey eq 'state'"))
        {
            bids.Add(row.PartitionKey);
        }

        return bids;
    }

    private static HttpClient WithUser(BuiltApp app, string user)
    {
        var client = new HttpClient { BaseAddress = app.Client.BaseAddress };
        client.DefaultRequestHeaders.Add(Identity.DevelopmentSignInHandler.Header, user);
        return client;
    }
}

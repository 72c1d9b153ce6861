using System.Net;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Partnership.Functions.CustomHandler;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

/// <summary>The documented custom-handler payloads, posted as the Functions host posts them.</summary>
public class CustomHandlerContractTests(AzuriteFixture azurite)
{
    private static string TimerInvocation(DateTimeOffset now) => $$"""
        {
          "Data": {
            "timer": {
              "Schedule": { "AdjustForDST": true },
              "ScheduleStatus": { "Last": "{{now.AddMinutes(-1):O}}", "Next": "{{now.AddMinutes(1):O}}", "LastUpdated": "{{now.AddMinutes(-1):O}}" },
              "IsPastDue": false
            }
          },
          "Metadata": {
            "timer": { "Schedule": { "AdjustForDST": true }, "IsPastDue": false },
            "sys": { "MethodName": "TimerSweep", "UtcNow": "{{now:O}}", "RandGuid": "{{Guid.NewGuid()}}" }
          }
        }
        """;

    private static string QueueInvocation(JsonNode effect) => new JsonObject
    {
        ["Data"] = new JsonObject { ["effect"] = effect },
        ["Metadata"] = new JsonObject
        {
            ["DequeueCount"] = 1,
            ["ExpirationTime"] = "2026-11-30T09:00:00+00:00",
            ["Id"] = Guid.NewGuid().ToString(),
            ["InsertionTime"] = "2026-11-23T09:00:00+00:00",
            ["NextVisibleTime"] = "2026-11-23T09:10:00+00:00",
            ["PopReceipt"] = "AgAAAAMAAAAAAAAA",
            ["sys"] = new JsonObject { ["MethodName"] = "EffectDispatch", ["UtcNow"] = "2026-11-23T09:00:01Z", ["RandGuid"] = Guid.NewGuid().ToString() },
        },
    }.ToJsonString();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_timer_invocation_fires_due_timers_and_answers_with_outputs_logs_and_return_value()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        app.Clock.Advance(TimeSpan.FromDays(12));

        var response = await app.CreateClient().PostAsync("/TimerSweep", Json(TimerInvocation(app.Clock.GetUtcNow())));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.Contains("1 fired", Assert.Single(body.GetProperty("Logs").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);
        Assert.Single(await app.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None), h => h.Event is ReminderSent);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_queue_invocation_carries_out_the_effect_once_whether_the_item_is_text_or_json(bool asText)
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        var effect = (await app.Get<BidRepository>().OutboxAsync(bidId, CancellationToken.None)).First(e => e.Effect is Notify { Template: "bid-received" });
        var item = new JsonObject { ["bidId"] = bidId, ["effectId"] = effect.EffectId };
        JsonNode payload = asText ? JsonValue.Create(item.ToJsonString())! : item;

        var client = app.CreateClient();
        var first = await client.PostAsync("/EffectDispatch", Json(QueueInvocation(payload.DeepClone())));
        var again = await client.PostAsync("/EffectDispatch", Json(QueueInvocation(payload.DeepClone())));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("Done", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("AlreadyDone", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        Assert.NotNull((await app.Get<BidRepository>().FindEffectAsync(bidId, effect.EffectId, CancellationToken.None))!.DoneAt);
        Assert.Single(await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None), m => m.Template == "bid-received");
    }

    [Fact]
    public async Task A_queue_invocation_without_a_usable_item_fails_the_invocation()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/EffectDispatch", Json(QueueInvocation(JsonValue.Create("not json")!)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/EffectDispatch", Json("""{"Data":{},"Metadata":{}}"""))).StatusCode);
    }

    [Fact]
    public async Task A_failing_effect_answers_500_so_the_host_retries_it()
    {
        await using var app = new AppFactory(azurite, s =>
        {
            s.RemoveAll<INotificationSender>();
            s.AddSingleton<INotificationSender, BrokenSender>();
        });
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        var effect = (await app.Get<BidRepository>().OutboxAsync(bidId, CancellationToken.None)).First(e => e.Effect is Notify);
        var response = await app.CreateClient().PostAsync("/EffectDispatch", Json(QueueInvocation(new JsonObject { ["bidId"] = bidId, ["effectId"] = effect.EffectId })));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("mail relay refused", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        var row = await app.Get<BidRepository>().FindEffectAsync(bidId, effect.EffectId, CancellationToken.None);
        Assert.Null(row!.DoneAt);
        Assert.Equal(1, row.Attempts);
    }

    [Fact]
    public void Host_json_and_the_function_folders_describe_this_app()
    {
        var root = AzuriteFixture.RepositoryRoot();
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "host.json")))!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("app/Partnership.Functions", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableProxyingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.Equal(EffectQueueProcessor.MaxDequeueCount, host["extensions"]!["queues"]!["maxDequeueCount"]!.GetValue<int>());

        var triggers = Path.Combine(root, "functions", "triggers");
        var functions = Directory.GetDirectories(triggers).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["Api", InvocationEndpoints.QueueFunction, InvocationEndpoints.TimerFunction], functions);
        JsonNode Binding(string function) => JsonNode.Parse(File.ReadAllText(Path.Combine(triggers, function, "function.json")))!["bindings"]![0]!;

        Assert.Equal("httpTrigger", Binding("Api")["type"]!.GetValue<string>());
        Assert.Equal("{*route}", Binding("Api")["route"]!.GetValue<string>());
        Assert.Equal("timerTrigger", Binding(InvocationEndpoints.TimerFunction)["type"]!.GetValue<string>());
        var queue = Binding(InvocationEndpoints.QueueFunction);
        Assert.Equal("queueTrigger", queue["type"]!.GetValue<string>());
        Assert.Equal(InvocationEndpoints.QueueBinding, queue["name"]!.GetValue<string>());
        Assert.Equal(new StorageOptions().EffectsQueue, queue["queueName"]!.GetValue<string>());
    }

    [Fact]
    public void The_sample_settings_list_every_setting_the_app_reads()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(AzuriteFixture.RepositoryRoot(), "local.settings.sample.json")))!["Values"]!.AsObject();
        var expected = typeof(StorageOptions).GetProperties().Where(p => p.CanWrite).Select(p => $"Storage__{p.Name}")
            .Concat(typeof(Decisions.DecisionLinkOptions).GetProperties().Where(p => p.CanWrite).Select(p => $"Decisions__{p.Name}"))
            .Concat(typeof(Notifications.EmailOptions).GetProperties().Where(p => p.CanWrite).Select(p => $"Email__{p.Name}"))
            .Concat(typeof(Notifications.EmailWebhookOptions).GetProperties().Where(p => p.CanWrite).Select(p => $"EmailWebhook__{p.Name}"))
            .Concat(typeof(Notifications.TeamsOptions).GetProperties().Where(p => p.CanWrite).Select(p => $"Teams__{p.Name}"))
            .Concat(typeof(Notifications.DigestOptions).GetProperties().Where(p => p.CanWrite).Select(p => $"Digest__{p.Name}"))
            .Concat(["Workers__Enabled", "Seed__Demo", "Effects__FirstRetryDelay", "FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage"]);
        Assert.All(expected, key => Assert.True(sample.ContainsKey(key), $"local.settings.sample.json lacks {key}"));
        Assert.Equal("custom", sample["FUNCTIONS_WORKER_RUNTIME"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_app_listens_on_the_port_the_functions_host_gives_it()
    {
        await using var app = BuiltApp.Start(azurite, "t" + Guid.NewGuid().ToString("N")[..12], Hosting.AppSetup.CustomHandlerPort);
        var health = await app.HealthAsync();
        Assert.Equal(HttpStatusCode.OK, health?.StatusCode);
        var sweep = await app.Client.PostAsync("/TimerSweep", Json(TimerInvocation(DateTimeOffset.UtcNow)));
        Assert.Equal(HttpStatusCode.OK, sweep.StatusCode);
    }

    private sealed class BrokenSender : INotificationSender
    {
        public Task SendAsync(BidState bid, string effectId, Notify notify, CancellationToken cancellationToken) =>
            throw new HttpRequestException("mail relay refused the message");

        public Task SendReplyAsync(string recipient, string subject, string text, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

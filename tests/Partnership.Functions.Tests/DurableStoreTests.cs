using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

public class DurableStoreTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_same_command_sent_twice_is_applied_once_and_answered_the_same_way()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        var coordinator = app.ClientFor("coordinator");

        var first = await coordinator.CommandAsync($"/api/bids/{bidId}/hce-referral", key: "refer-1");
        var second = await coordinator.CommandAsync($"/api/bids/{bidId}/hce-referral", key: "refer-1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        var history = await app.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None);
        Assert.Single(history, e => e.Event is ReferredToHce);

        var refusedTwice = new[]
        {
            await coordinator.CommandAsync($"/api/bids/{bidId}/closure", key: "close-early"),
            await coordinator.CommandAsync($"/api/bids/{bidId}/closure", key: "close-early"),
        };
        Assert.All(refusedTwice, r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    [Fact]
    public async Task A_key_reused_for_a_different_request_is_refused()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        var coordinator = app.ClientFor("coordinator");
        await coordinator.CommandAsync($"/api/bids/{bidId}/changes-requested", new { reason = "Add a budget." }, key: "k1").Ok();
        var reused = await coordinator.CommandAsync($"/api/bids/{bidId}/changes-requested", new { reason = "Something else." }, key: "k1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Contains("Idempotency-Key", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_commit_against_a_stale_state_is_rejected_by_its_etag()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        var repository = app.Get<BidRepository>();
        var stale = (await repository.LoadAsync(bidId, CancellationToken.None))!;
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();

        var workflow = new BidWorkflow(await app.Get<Funds.FundStore>().SettingsForAsync(AppFactory.Fund, CancellationToken.None));
        var decision = (Accepted)workflow.Decide(stale.State, new RequestChanges(new Actor("coordinator", Role.Coordinator), "late"), app.Clock.GetUtcNow());
        var result = await repository.CommitAsync(new Commit(stale, decision.State, decision.Events, decision.Effects, "stale-key", "fp",
            new CommandResult(bidId, CommandOutcome.Accepted), app.Clock.GetUtcNow()), CancellationToken.None);
        Assert.Equal(CommitOutcome.StateChanged, result.Outcome);
        Assert.Equal(BidStage.HceRecommendation, (await StateAsync(app, bidId)).Stage);
    }

    [Fact]
    public async Task Two_hce_members_deciding_at_once_never_both_apply()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        for (var round = 0; round < 5; round++)
        {
            var bidId = await SubmittedAsync(app);
            await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
            var answers = await Task.WhenAll(
                app.ClientFor("hce").CommandAsync($"/api/bids/{bidId}/hce-recommendation", new { decision = "Approve", revenue = 15_000m, capital = 0m }),
                app.ClientFor("hce-2").CommandAsync($"/api/bids/{bidId}/hce-recommendation", new { decision = "Reject", reasons = "Outside the priorities." }));
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
            var history = await app.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None);
            Assert.Single(history, e => e.Event is HceRecommendedApproval or HceRecommendedRejection);
        }
    }

    [Fact]
    public async Task Many_commands_racing_on_one_bid_each_apply_exactly_once_on_fresh_state()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        var commands = app.Get<BidCommandService>();
        var coordinator = new Actor("coordinator", Role.Coordinator);
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => commands.ExecuteAsync(bidId,
            new AttachDocument(coordinator, new DocumentVersion($"note-{i}", 1, DocumentKind.Other, "note.pdf", "application/pdf", 10, new string('0', 64), $"bids/{bidId}/note-{i}/v1/note.pdf", "coordinator", AppFactory.Start)),
            $"race-{i}", CancellationToken.None))));

        Assert.All(results, r => Assert.Contains(r.Outcome, new[] { CommandOutcome.Accepted, CommandOutcome.Busy }));
        var accepted = results.Where(r => r.Outcome == CommandOutcome.Accepted).ToList();
        Assert.NotEmpty(accepted);
        Assert.Equal(accepted.Count, accepted.Select(r => r.Version).Distinct().Count());
        var state = await StateAsync(app, bidId);
        var history = await app.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None);
        Assert.Equal(accepted.Count, state.Documents.Count(d => d.DocumentId.StartsWith("note-", StringComparison.Ordinal)));
        Assert.Equal(accepted.Count, history.Count(h => h.Event is DocumentAttached { Document.Kind: DocumentKind.Other }));
        Assert.Equal(state.Version, history.Max(h => h.Version));
    }

    [Fact]
    public async Task An_effect_lost_between_commit_and_queue_is_found_and_dispatched_by_the_recovery_pass()
    {
        await using var app = new AppFactory(azurite, SwitchablePublisher.Install);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        await DrainAsync(app);
        var publisher = app.Get<SwitchablePublisher>();

        publisher.Crashed = true;
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
        publisher.Crashed = false;

        Assert.Equal(0, await QueueLengthAsync(app));
        var pending = (await app.Get<BidRepository>().OutboxAsync(bidId, CancellationToken.None)).Where(e => !e.IsDone).ToList();
        Assert.Equal(2, pending.Count);
        Assert.Contains(pending, e => e.Effect is Notify { Template: "decision-prompt-hce" });
        Assert.DoesNotContain(await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None), m => m.Template == "decision-prompt-hce");

        Assert.Equal(0, await app.Get<OutboxRecovery>().RecoverAsync(CancellationToken.None));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(2, await app.Get<OutboxRecovery>().RecoverAsync(CancellationToken.None));
        await DrainAsync(app);

        var outbox = await app.Get<BidRepository>().OutboxAsync(bidId, CancellationToken.None);
        Assert.All(outbox, e => Assert.NotNull(e.DoneAt));
        var prompts = (await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None)).Where(m => m.Template == "decision-prompt-hce").Select(m => m.To).Order().ToList();
        Assert.Equal(["hce", "hce-2"], prompts);
        var listed = await app.ClientFor("coordinator").GetFromJsonAsync<JsonElement>("/api/bids?stage=HceRecommendation");
        Assert.Equal(bidId, Assert.Single(listed.EnumerateArray()).GetProperty("bidId").GetString());
        Assert.Equal(0, await app.Get<OutboxRecovery>().RecoverAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_sweep_reads_only_due_timers_however_many_bids_wait()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var waiting = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            waiting.Add(await SubmittedAsync(app));
        }

        app.Clock.Advance(TimeSpan.FromDays(9));
        var due = await SubmittedAsync(app);
        await DrainAsync(app);
        var index = app.Get<Storage>().TimerIndex;
        var entries = 0;
        await foreach (var _ in index.QueryAsync<TableEntity>())
        {
            entries++;
        }

        Assert.Equal(52, entries);
        var swept = await AdvanceAndSweepAsync(app, TimeSpan.FromDays(5));
        Assert.Equal(25, swept.Due);
        Assert.Equal(25, swept.Fired);
        Assert.All(waiting, id => Assert.DoesNotContain(StateAsync(app, id).Result.Timers, t => t.Purpose == TimerPurpose.DecisionReminder));
        Assert.Contains((await StateAsync(app, due)).Timers, t => t.Purpose == TimerPurpose.DecisionReminder);
        Assert.Equal(0, (await app.Get<TimerSweep>().SweepAsync(CancellationToken.None)).Due);
    }

    [Fact]
    public async Task Overlapping_sweeps_fire_each_timer_once()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        app.Clock.Advance(TimeSpan.FromDays(17));
        var sweep = app.Get<TimerSweep>();
        var results = await Task.WhenAll(sweep.SweepAsync(CancellationToken.None), sweep.SweepAsync(CancellationToken.None), sweep.SweepAsync(CancellationToken.None));
        var history = await app.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None);
        Assert.Single(history, h => h.Event is ReminderSent);
        Assert.Single(history, h => h.Event is DecisionEscalated);
        Assert.True(results.Sum(r => r.Fired) <= 6);
    }

    [Fact]
    public async Task A_failing_effect_is_retried_then_poisoned_and_its_row_says_why()
    {
        var failing = new FailingSender();
        await using var app = new AppFactory(azurite, s =>
        {
            s.RemoveAll<INotificationSender>();
            s.AddSingleton<INotificationSender>(failing);
        });
        await app.SeedAsync();
        var applicant = app.ClientFor("applicant-kca");
        var bidId = await StartAsync(applicant);
        await UploadOkAsync(applicant, bidId, "BusinessCase");
        await DrainAsync(app);
        await applicant.CommandAsync($"/api/bids/{bidId}/submit").Ok();

        var processor = app.Get<EffectQueueProcessor>();
        for (var attempt = 0; attempt < EffectQueueProcessor.MaxDequeueCount + 1; attempt++)
        {
            await processor.ProcessBatchAsync(CancellationToken.None);
        }

        var storage = app.Get<Storage>();
        var poisoned = (await storage.EffectsPoison.PeekMessagesAsync(32)).Value;
        Assert.Equal(2, poisoned.Length);
        Assert.Equal(0, await QueueLengthAsync(app));
        var notifications = (await app.Get<BidRepository>().OutboxAsync(bidId, CancellationToken.None)).Where(e => e.Effect is Notify && !e.IsDone).ToList();
        Assert.Equal(2, notifications.Count);
        Assert.All(notifications, e =>
        {
            Assert.Null(e.DoneAt);
            Assert.Equal(EffectQueueProcessor.MaxDequeueCount, e.Attempts);
            Assert.Equal("SendGrid is down", e.LastError);
        });
        Assert.Equal(EffectQueueProcessor.MaxDequeueCount * 2, failing.Calls);
    }

    private sealed class FailingSender : INotificationSender
    {
        private int _calls;

        public int Calls => _calls;

        public Task SendAsync(BidState bid, string effectId, Notify notify, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new HttpRequestException("SendGrid is down");
        }

        public Task SendReplyAsync(string recipient, string subject, string text, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

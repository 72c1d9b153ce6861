using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

/// <summary>The bid's orchestration on Durable Task over Azurite: one answer per key, steps recorded once, deadlines and effects.</summary>
public class BidEngineTests(AzuriteFixture azurite)
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
    public async Task A_step_recorded_again_by_a_rerun_activity_is_recorded_once()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        await DrainAsync(app);
        var repository = app.Get<BidRepository>();
        var state = await StateAsync(app, bidId);
        var workflow = new BidWorkflow(await app.Get<Funds.FundStore>().SettingsForAsync(AppFactory.Fund, CancellationToken.None));
        var decision = (Accepted)workflow.Decide(state, new ReferToHce(new Actor("coordinator", Role.Coordinator)), app.Clock.GetUtcNow());
        var step = new StepRecord(false, decision.State, decision.Events, decision.Effects, "refer-key", "fp",
            new CommandResult(bidId, CommandOutcome.Accepted, decision.State.Version, decision.State.Stage), app.Clock.GetUtcNow());

        var first = await repository.RecordStepAsync(step, CancellationToken.None);
        var again = await repository.RecordStepAsync(step, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Equal(decision.Effects.Count(e => e is not (SetTimer or CancelTimer)), first.Count);
        var history = await repository.HistoryAsync(bidId, CancellationToken.None);
        Assert.Single(history, h => h.Event is ReferredToHce);
        Assert.Equal(first, (await repository.OutboxAsync(bidId, CancellationToken.None)).Where(e => e.EffectId.StartsWith($"fx-{decision.State.Version:D8}", StringComparison.Ordinal)).Select(e => e.EffectId));
    }

    [Fact]
    public async Task Two_hce_members_proposing_at_once_put_one_motion_and_the_other_is_refused()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        for (var round = 0; round < 5; round++)
        {
            var bidId = await SubmittedAsync(app);
            await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
            var answers = await Task.WhenAll(
                app.ClientFor("hce").CommandAsync($"/api/bids/{bidId}/hce-recommendation", new { decision = "Approve", revenue = 15_000m, capital = 0m, budgetLineId = AppFactory.Line }),
                app.ClientFor("hce-2").CommandAsync($"/api/bids/{bidId}/hce-recommendation", new { decision = "Reject", reasons = "Outside the priorities." }));
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.UnprocessableEntity);
            var history = await app.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None);
            Assert.Single(history, e => e.Event is MotionPut);
            Assert.DoesNotContain(history, e => e.Event is HceRecommendedApproval or HceRecommendedRejection);
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

        Assert.All(results, r => Assert.Equal(CommandOutcome.Accepted, r.Outcome));
        var accepted = results.ToList();
        Assert.Equal(accepted.Count, accepted.Select(r => r.Version).Distinct().Count());
        var state = await StateAsync(app, bidId);
        var history = await app.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None);
        Assert.Equal(accepted.Count, state.Documents.Count(d => d.DocumentId.StartsWith("note-", StringComparison.Ordinal)));
        Assert.Equal(accepted.Count, history.Count(h => h.Event is DocumentAttached { Document.Kind: DocumentKind.Other }));
        Assert.Equal(state.Version, history.Max(h => h.Version));
    }

    [Fact]
    public async Task A_deadline_fires_by_its_own_durable_timer_with_nobody_moving_the_clock()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var quick = FundDeadlines.Defaults.Stages.SetItem(BidStage.Screening, new StageDeadline(1, 1, 2, Audience.Coordinators));
        await app.Get<Funds.FundStore>().SaveAsync(new Funds.Fund(AppFactory.Fund, "Partnership Fund", "Test fund", new FundDeadlines(quick)), CancellationToken.None);

        // Submitted seconds before 17:00 on a Monday, the screening reminder (a day before Tuesday's 17:00 deadline) is due in seconds.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 16, 59, 56, TimeSpan.Zero));
        var bidId = await SubmittedAsync(app);
        var reminder = Assert.Single((await StateAsync(app, bidId)).Timers, t => t.Purpose == TimerPurpose.DecisionReminder);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 17, 0, 0, TimeSpan.Zero), reminder.DueAt);

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!(await app.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None)).Any(h => h.Event is ReminderSent))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(40), "The reminder's durable timer never fired.");
            await Task.Delay(200);
        }

        await DrainAsync(app);
        var state = await StateAsync(app, bidId);
        Assert.DoesNotContain(state.Timers, t => t.Purpose == TimerPurpose.DecisionReminder);
        Assert.Contains(state.Timers, t => t.Purpose == TimerPurpose.DecisionEscalation);
        Assert.Contains(await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None), m => m.Template.Contains("reminder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deadline_fired_twice_at_once_fires_once()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        app.Clock.Advance(TimeSpan.FromDays(17));
        var fired = await Task.WhenAll(FireDueAsync(app), FireDueAsync(app), FireDueAsync(app));
        var history = await app.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None);
        Assert.Single(history, h => h.Event is ReminderSent);
        Assert.Single(history, h => h.Event is DecisionEscalated);
        Assert.InRange(fired.Sum(), 2, 6);
    }

    [Fact]
    public async Task A_failing_effect_is_tried_as_often_as_configured_then_recorded_as_failed_and_says_why()
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
        await DrainAsync(app);

        var attempts = app.Get<IOptions<Engine.EngineOptions>>().Value.EffectAttempts;
        var notifications = (await app.Get<BidRepository>().OutboxAsync(bidId, CancellationToken.None)).Where(e => e.Effect is Notify && !e.IsDone).ToList();
        Assert.Equal(2, notifications.Count);
        Assert.All(notifications, e =>
        {
            Assert.Null(e.DoneAt);
            Assert.NotNull(e.FailedAt);
            Assert.Equal(attempts, e.Attempts);
            Assert.Contains("SendGrid is down", e.LastError, StringComparison.Ordinal);
        });
        Assert.Equal(attempts * 2, failing.Calls);
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
        Assert.Equal(BidStage.HceRecommendation, (await StateAsync(app, bidId)).Stage);
    }

    [Fact]
    public async Task A_bid_waiting_when_a_new_version_is_deployed_replays_its_wait_and_takes_the_next_command_under_the_new_one()
    {
        var (prefix, stopped, bidId, waiting) = await WaitingForHceUnderAnEarlierReleaseAsync();

        // The next version knows a bank holiday the first did not (1 December 2026), and so counts working days differently.
        var next = new WorkingCalendar([new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 28)], UkTime.Zone);
        await using var second = new AppFactory(azurite, s => s.AddSingleton(next), prefix: prefix);
        var recommended = await RecommendedNextDayAsync(second, stopped, bidId, waiting);

        // Ten working days from Tuesday 24 November end on 8 December, or on 9 December with the new holiday.
        Assert.Equal(new DateTimeOffset(2026, 12, 9, 17, 0, 0, TimeSpan.Zero), recommended.DecisionDueAt);
    }

    [Fact]
    public async Task A_bid_waiting_when_the_orchestrations_code_changes_replays_its_wait_under_the_new_code_and_takes_its_next_command()
    {
        var (prefix, stopped, bidId, waiting) = await WaitingForHceUnderAnEarlierReleaseAsync();

        var handedOn = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var second = new AppFactory(azurite, s => s.AddSingleton<IOptions<DurableTaskRegistry>>(p =>
        {
            var tasks = new DurableTaskRegistry();
            tasks.AddOrchestrator(nameof(BidOrchestration), new NextReleaseOrchestration(
                new BidOrchestration(p.GetRequiredService<WorkingCalendar>(), p.GetRequiredService<IOptions<Engine.EngineOptions>>()), handedOn));
            Engine.EngineSetup.AddBidActivities(tasks);
            return Options.Create(tasks);
        }), prefix: prefix);
        await RecommendedNextDayAsync(second, stopped, bidId, waiting);
        Assert.Equal(2, handedOn.Count);
    }

    /// <summary>A bid referred to HCE and waiting, in an app then stopped with its storage kept, as a release is replaced.</summary>
    private async Task<(string Prefix, DateTimeOffset StoppedAt, string BidId, BidState Waiting)> WaitingForHceUnderAnEarlierReleaseAsync()
    {
        var first = new AppFactory(azurite, keepStorage: true);
        await first.SeedAsync();
        var bidId = await SubmittedAsync(first);
        await first.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
        await DrainAsync(first);
        var waiting = await StateAsync(first, bidId);
        var stoppedAt = first.Clock.GetUtcNow();
        await first.DisposeAsync();
        return (first.Prefix, stoppedAt, bidId, waiting);
    }

    /// <summary>HCE recommends the waiting bid a day later under the next release (one member proposes, the other agrees); the bid takes each once, and moves to the Board.</summary>
    private static async Task<BidState> RecommendedNextDayAsync(AppFactory next, DateTimeOffset stoppedAt, string bidId, BidState waiting)
    {
        next.Clock.SetUtcNow(stoppedAt.AddDays(1));
        await HceRecommendsAsync(next, bidId, new { decision = "Approve", revenue = 55_000m, capital = 0m, budgetLineId = AppFactory.Line });
        await DrainAsync(next);

        var recommended = await StateAsync(next, bidId);
        Assert.Equal((BidStage.HceRecommendation, BidStage.BoardApproval), (waiting.Stage, recommended.Stage));
        Assert.Equal(waiting.Version + 2, recommended.Version);
        var history = await next.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None);
        Assert.Single(history, h => h.Event is HceRecommendedApproval);
        return recommended;
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

using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Partnership.Functions.Engine;
using Partnership.Functions.Hosting;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Tests;

/// <summary>
/// The bid's orchestration alone, on Durable Task's in-process test host, with its activities replaced by a record
/// of what they were asked. A command's time moves the bid's clock, so each test sends its last command seconds
/// before the deadline it waits for, and the durable timer fires on its own.
/// </summary>
public sealed class BidOrchestrationTests : IAsyncLifetime
{
    private static readonly Actor Applicant = new("applicant-kca", Role.Applicant, "kids-can-achieve");
    private static readonly Actor Coordinator = new("coordinator", Role.Coordinator);
    private static readonly Actor Hce = new("hce", Role.HceMember);
    private static readonly Actor Hce2 = new("hce-2", Role.HceMember);
    private static readonly Actor BoardChair = new("board-chair", Role.BoardMember);
    private static readonly Actor Board = new("board", Role.BoardMember);
    private const string Line = "2010-11-laa-reward-grant";

    /// <summary>The test fund's rules, with its HCE and Board of two members each.</summary>
    private static readonly BidRules Rules = new(FundDeadlines.Defaults, Workflows.Grants.MonitoringSettings.Defaults)
    {
        Governance = new FundGovernance(
            System.Collections.Immutable.ImmutableDictionary<BodyKind, DecisionBody>.Empty
                .Add(BodyKind.Hce, new DecisionBody(BodyKind.Hce, ["hce", "hce-2"], null, null, BodyRules.Defaults with { QuorumMinimum = 2 }))
                .Add(BodyKind.Board, new DecisionBody(BodyKind.Board, ["board", "board-chair"], "board-chair", null, BodyRules.Defaults with { QuorumMinimum = 2 })),
            System.Collections.Immutable.ImmutableDictionary<string, string>.Empty),
    };

    private static RecommendApproval Proposal { get; } = new(Hce, new Funding(50_000m, 0m), null, Line);

    /// <summary>Monday 23 November 2026, 10:00 in London: the bid's clock when the tests begin.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentQueue<StepRecord> _steps = new();
    private readonly ConcurrentQueue<EffectRef> _effects = new();
    private DurableTaskTestHost? _host;

    private DurableTaskClient Client => _host!.Client;

    public async ValueTask InitializeAsync()
    {
        _host = await DurableTaskTestHost.StartAsync(tasks =>
        {
            tasks.AddOrchestrator(nameof(BidOrchestration), new BidOrchestration(BankHolidays.EnglandAndWales(), Options.Create(new EngineOptions())));
            tasks.AddActivityFunc<MoneyMove, string?>(nameof(MoveMoney), (_, _) => Task.FromResult<string?>(null));
            tasks.AddActivityFunc<AnswerRecord, bool>(nameof(RecordAnswer), (_, _) => Task.FromResult(true));
            // Records the step and leaves its effects untried, so that each goes through CarryOutEffect and is seen there.
            tasks.AddActivityFunc<StepRecord, StepCommitted>(nameof(CommitStep), (_, step) =>
            {
                _steps.Enqueue(step!);
                var notifications = step!.Effects.Where(e => e is not (SetTimer or CancelTimer)).Select((_, i) => $"fx-{step.After.Version:D8}-{i:D2}");
                return Task.FromResult(new StepCommitted([], [.. notifications]));
            });
            tasks.AddActivityFunc<EffectRef, FollowUp?>(nameof(CarryOutEffect), (_, effect) =>
            {
                _effects.Enqueue(effect!);
                return Task.FromResult<FollowUp?>(null);
            });
            tasks.AddActivityFunc<EffectFailure, bool>(nameof(GiveUpEffect), (_, _) => Task.FromResult(true));
        }, new DurableTaskTestHostOptions
        {
            // The host's own choice is a random port from 30000 to 40000, inside the range the OS gives out.
            Port = Support.BuiltApp.FreePort(),
            ConfigureServices = services =>
            {
                // The worker and client copy these into their gRPC options, as the app's engine does through its builders.
                services.Configure<Microsoft.DurableTask.Worker.DurableTaskWorkerOptions>(Options.DefaultName, o => o.DataConverter = EngineSetup.Converter);
                services.Configure<DurableTaskClientOptions>(Options.DefaultName, o => o.DataConverter = EngineSetup.Converter);
            },
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>A command given at <paramref name="at"/> on the bid's clock, whatever the machine's clock says.</summary>
    private static BidCommandEvent Given(BidCommand command, DateTimeOffset at) =>
        new(Guid.NewGuid().ToString("N"), "test", command, at, at - DateTimeOffset.UtcNow, Rules);

    private async Task SendAsync(string bidId, BidCommand command, DateTimeOffset at) =>
        await Client.RaiseEventAsync(bidId, BidOrchestration.CommandEvent, Given(command, at));

    private BidState Latest(string bidId) => _steps.Where(s => s.After.BidId == bidId).MaxBy(s => s.After.Version)!.After;

    /// <summary>Waits until the bid has recorded a step that <paramref name="recorded"/> describes.</summary>
    private async Task<StepRecord> StepAsync(string bidId, Func<StepRecord, bool> recorded)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (_steps.FirstOrDefault(s => s.After.BidId == bidId && recorded(s)) is { } step)
            {
                return step;
            }

            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                var instance = await Client.GetInstanceAsync(bidId, getInputsAndOutputs: true);
                var latest = _steps.Where(s => s.After.BidId == bidId).MaxBy(s => s.After.Version);
                Assert.Fail($"The bid never recorded the expected step; it is {instance?.RuntimeStatus} {instance?.FailureDetails?.ErrorMessage}, last at version {latest?.After.Version} in {latest?.After.Stage}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A bid referred to HCE at <paramref name="at"/>, waiting for its recommendation.</summary>
    private async Task<string> AwaitingHceAsync(DateTimeOffset at)
    {
        var bidId = Guid.NewGuid().ToString("N");
        var start = new StartBid(Applicant, bidId, "partnership-fund", "kids-can-achieve",
            Support.Bids.CompleteProposal("Top Families Project", new Funding(50_000m, 0m), new DateOnly(2027, 4, 1), new DateOnly(2028, 3, 31)));
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(BidOrchestration), BidRun.Starting(null, Given(start, at)), new StartOrchestrationOptions(bidId));
        await StepAsync(bidId, s => s.Events.Any(e => e is BidStarted));
        await SendAsync(bidId, new AttachDocument(Applicant, Document("business-case", DocumentKind.BusinessCase, at)), at);
        await StepAsync(bidId, s => s.Events.Any(e => e is DocumentAttached));
        await SendAsync(bidId, new Submit(Applicant), at);
        await StepAsync(bidId, s => s.Events.Any(e => e is BidSubmitted));
        await SendAsync(bidId, new ReferToHce(Coordinator), at);
        await StepAsync(bidId, s => s.Events.Any(e => e is ReferredToHce));
        return bidId;
    }

    private static DocumentVersion Document(string id, DocumentKind kind, DateTimeOffset at) =>
        new(id, 1, kind, $"{id}.pdf", "application/pdf", 100, new string('0', 64), $"bids/x/{id}/v1/{id}.pdf", "applicant-kca", at);

    [Fact]
    public async Task A_decision_in_time_ends_the_window_and_no_reminder_fires()
    {
        var bidId = await AwaitingHceAsync(Monday);
        var window = Latest(bidId).Timers.Where(t => t.Stage == BidStage.HceRecommendation).ToList();
        Assert.Equal([TimerPurpose.DecisionReminder, TimerPurpose.DecisionEscalation], window.Select(t => t.Purpose));

        var reminder = window[0];
        await SendAsync(bidId, Proposal, reminder.DueAt.AddSeconds(-4));
        await StepAsync(bidId, s => s.Events.Any(e => e is MotionPut));
        await SendAsync(bidId, new CastVote(Hce2, Latest(bidId).PendingMotion!.Id, VoteChoice.Agrees), reminder.DueAt.AddSeconds(-3));
        var recommended = await StepAsync(bidId, s => s.Events.Any(e => e is HceRecommendedApproval));
        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.Equal(BidStage.BoardApproval, recommended.After.Stage);
        Assert.DoesNotContain(recommended.After.Timers, t => t.Stage == BidStage.HceRecommendation);
        Assert.DoesNotContain(_steps, s => s.After.BidId == bidId && s.Events.Any(e => e is ReminderSent { Stage: BidStage.HceRecommendation }));
    }

    [Fact]
    public async Task A_reminder_then_an_escalation_fire_by_their_timers_and_each_prompts_once()
    {
        var bidId = await AwaitingHceAsync(Monday);
        var window = Latest(bidId).Timers.Where(t => t.Stage == BidStage.HceRecommendation).ToList();

        // A document attached seconds before each deadline brings the bid's clock up to it; the timers do the rest.
        await SendAsync(bidId, new AttachDocument(Coordinator, Document("note-1", DocumentKind.Other, window[0].DueAt)), window[0].DueAt.AddSeconds(-2));
        var reminded = await StepAsync(bidId, s => s.Events.Any(e => e is ReminderSent));
        await SendAsync(bidId, new AttachDocument(Coordinator, Document("note-2", DocumentKind.Other, window[1].DueAt)), window[1].DueAt.AddSeconds(-2));
        var escalated = await StepAsync(bidId, s => s.Events.Any(e => e is DecisionEscalated));

        // Fired at the deadline on the bid's clock, give or take the moments a timer takes to be delivered.
        Assert.InRange(reminded.At, window[0].DueAt, window[0].DueAt.AddSeconds(5));
        Assert.InRange(escalated.At, window[1].DueAt, window[1].DueAt.AddSeconds(5));
        Assert.DoesNotContain(escalated.After.Timers, t => t.Stage == BidStage.HceRecommendation);
        Assert.Single(_steps, s => s.After.BidId == bidId && s.Events.Any(e => e is ReminderSent));
        Assert.Contains(escalated.Effects, e => e is Notify { To: Audience.BoardChair });
        Assert.Equal(BidStage.HceRecommendation, escalated.After.Stage);
    }

    [Fact]
    public async Task A_deferral_comes_back_to_hce_with_a_fresh_window_when_its_day_comes()
    {
        var bidId = await AwaitingHceAsync(Monday);
        await SendAsync(bidId, new DeferDecision(Hce, new DateOnly(2026, 12, 14), "Awaiting the project plan."), Monday.AddHours(1));
        await StepAsync(bidId, s => s.Events.Any(e => e is MotionPut));
        await SendAsync(bidId, new CastVote(Hce2, Latest(bidId).PendingMotion!.Id, VoteChoice.Agrees), Monday.AddHours(2));
        var deferred = await StepAsync(bidId, s => s.Events.Any(e => e is HceDeferred));
        var comesBack = Assert.Single(deferred.After.Timers, t => t.Purpose == TimerPurpose.DeferralEnds);

        await SendAsync(bidId, new AttachDocument(Coordinator, Document("plan", DocumentKind.Other, comesBack.DueAt)), comesBack.DueAt.AddSeconds(-2));
        var back = await StepAsync(bidId, s => s.Events.Any(e => e is DeferralEnded));

        Assert.Equal(BidStage.HceRecommendation, back.After.Stage);
        Assert.True(back.After.DecisionDueAt > comesBack.DueAt);
        Assert.Equal([TimerPurpose.DecisionReminder, TimerPurpose.DecisionEscalation], back.After.Timers.Where(t => t.Stage == BidStage.HceRecommendation).Select(t => t.Purpose));
        Assert.Contains(back.Effects, e => e is Notify { To: Audience.HceMembers });
    }

    [Fact]
    public async Task A_copy_of_a_command_sent_while_the_first_is_applied_is_applied_once()
    {
        var bidId = await AwaitingHceAsync(Monday);
        var copy = Given(Proposal, Monday.AddHours(2));
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Client.RaiseEventAsync(bidId, BidOrchestration.CommandEvent, copy)));
        await StepAsync(bidId, s => s.Events.Any(e => e is MotionPut));
        await SendAsync(bidId, new AttachDocument(Coordinator, Document("after", DocumentKind.Other, Monday)), Monday.AddHours(3));
        await StepAsync(bidId, s => s.Events.Any(e => e is DocumentAttached { Document.DocumentId: "after" }));

        Assert.Single(_steps, s => s.After.BidId == bidId && s.CommandKey == copy.Key);
    }

    /// <summary>A bid approved, contracted and ordered, its grant (April 2027 to March 2028) in monitoring.</summary>
    private async Task<string> InMonitoringAsync()
    {
        var bidId = await AwaitingHceAsync(Monday);
        var finance = new Actor("finance", Role.FinanceOfficer);
        // A vote names the motion before the body, which the step before put.
        BidCommand Vote(Actor member) => new CastVote(member, Latest(bidId).PendingMotion!.Id, VoteChoice.Agrees);
        var steps = new (Func<BidCommand> Command, Func<StepRecord, bool> Recorded)[]
        {
            (() => Proposal, s => s.Events.Any(e => e is MotionPut)),
            (() => Vote(Hce2), s => s.Events.Any(e => e is HceRecommendedApproval)),
            (() => Vote(BoardChair), s => s.Events.Any(e => e is VoteRecorded) && s.After.Stage == BidStage.BoardApproval && s.After.PendingMotion?.Agreeing == 1),
            (() => Vote(Board), s => s.Events.Any(e => e is BoardApproved)),
            (() => new SendContract(Coordinator), s => s.Events.Any(e => e is ContractSent)),
            (() => new AttachDocument(Applicant, Document("signed", DocumentKind.SignedContract, Monday)), s => s.Events.Any(e => e is DocumentAttached { Document.DocumentId: "signed" })),
            (() => new ReturnSignedContract(Applicant, "signed"), s => s.Events.Any(e => e is SignedContractReturned)),
            (() => new AcceptSignedContract(Coordinator), s => s.Events.Any(e => e is SignedContractAccepted)),
            (() => new RecordPurchaseOrder(finance, "PO-1", new DateOnly(2026, 11, 23), "KCA"), s => s.Events.Any(e => e is PurchaseOrderRecorded)),
        };
        foreach (var (command, recorded) in steps)
        {
            await SendAsync(bidId, command(), Monday.AddHours(1));
            await StepAsync(bidId, recorded);
        }

        Assert.Equal(BidStage.Monitoring, Latest(bidId).Stage);
        return bidId;
    }

    [Fact]
    public async Task A_return_is_chased_by_its_ladder_before_its_due_date_and_after_it()
    {
        var bidId = await InMonitoringAsync();
        var chased = new List<int>();
        while (!chased.Any(d => d > 0))
        {
            var next = Latest(bidId).Timers.Where(t => t.Purpose == TimerPurpose.ReturnReminder).MinBy(t => t.DueAt)!;
            var before = _steps.Count(s => s.After.BidId == bidId);
            await SendAsync(bidId, new AttachDocument(Coordinator, Document($"note-{chased.Count}", DocumentKind.Other, next.DueAt)), next.DueAt.AddSeconds(-2));
            var fired = await StepAsync(bidId, s => s.After.Version > before + 1 && s.Events.OfType<ReturnReminderSent>().Any());
            chased.Add(fired.Events.OfType<ReturnReminderSent>().Single().DaysFromDue);
        }

        Assert.Equal([-14, -3, 0, 1], chased);
    }

    [Fact]
    public async Task A_grant_whose_returns_are_in_closes_when_its_period_ends_and_the_coordinator_closes_it()
    {
        var bidId = await InMonitoringAsync();
        var report = new Workflows.Grants.ReturnReport(new Funding(12_000m, 0m), [], Funding.Zero, "Progress.", [], [], []);
        foreach (var (quarter, ends) in new[] { ("2027q1", new DateTime(2027, 6, 30)), ("2027q2", new DateTime(2027, 9, 30)), ("2027q3", new DateTime(2027, 12, 31)), ("2027q4", new DateTime(2028, 3, 31)) })
        {
            var at = new DateTimeOffset(ends.AddDays(1).AddHours(12), TimeSpan.Zero);
            await SendAsync(bidId, new SubmitReturn(Applicant, quarter, report), at);
            await StepAsync(bidId, s => s.Events.Any(e => e is ReturnSubmitted r && r.Quarter == quarter));
            await SendAsync(bidId, new AcceptReturn(Coordinator, quarter), at);
            await StepAsync(bidId, s => s.Events.Any(e => e is ReturnAccepted r && r.Quarter == quarter));
        }

        // The grant period ended before the last return came in; its timer moved the bid to closing on its own.
        var closing = await StepAsync(bidId, s => s.Events.Any(e => e is ClosingStarted));
        Assert.Equal(BidStage.Closing, closing.After.Stage);
        await SendAsync(bidId, new CloseBid(Coordinator), new DateTimeOffset(2028, 4, 3, 12, 0, 0, TimeSpan.Zero));
        var closed = await StepAsync(bidId, s => s.Events.Any(e => e is BidClosed));

        Assert.Equal(BidStage.Closed, closed.After.Stage);
        Assert.Empty(closed.After.Timers);
    }
}

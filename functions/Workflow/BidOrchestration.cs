using System.Collections.Immutable;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Partnership.Functions.Engine;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Workflow;

/// <summary>The fund's rules a bid is decided by, carried with each command so that deciding reads no storage.</summary>
public sealed record BidRules(FundDeadlines Deadlines, MonitoringSettings Monitoring)
{
    /// <summary>Who decides for the fund and who of them has an interest in the applicant, while the bid waits for HCE or the Board.</summary>
    public FundGovernance Governance { get; init; } = FundGovernance.None;
}

/// <summary>
/// One command for a bid's orchestration. <paramref name="At"/> is when it was given, which the decision is made
/// at; <paramref name="ClockOffset"/> is the <see cref="EngineClock"/> then; <paramref name="Key"/> applies copies
/// of it once. A command from outside has a caller waiting for its answer (<paramref name="Answered"/>); a deadline
/// or an effect's follow-up has none.
/// </summary>
public sealed record BidCommandEvent(string Key, string Fingerprint, BidCommand Command, DateTimeOffset At, TimeSpan ClockOffset, BidRules Rules, bool Answered = true);

/// <summary>What each generation of a bid's orchestration starts from: the bid, what its latest command told it, and commands already in hand.</summary>
public sealed record BidRun(BidState? State, BidRules? Rules, TimeSpan ClockOffset, ImmutableList<string> RecentKeys, ImmutableList<BidCommandEvent> InHand)
{
    public static BidRun Starting(BidState? state, BidCommandEvent first)
    {
        ArgumentNullException.ThrowIfNull(first);
        return new(state, first.Rules, first.ClockOffset, [], [first]);
    }
}

/// <summary>
/// A bid, for as long as it lives: it waits for the next command or its next deadline, decides with the pure
/// workflow at the time the command was given, records the step, and carries out what the step asks for. Each
/// step ends the generation (ContinueAsNew), so the history replayed is one step long however many years the bid runs.
/// </summary>
public sealed partial class BidOrchestration(WorkingCalendar calendar, IOptions<EngineOptions> engine) : TaskOrchestrator<BidRun, object?>
{
    public const string CommandEvent = "command";

    /// <summary>Custom status while the bid waits for a command or a deadline, and while it applies one.</summary>
    public const string Waiting = "waiting";
    public const string Applying = "applying";

    /// <summary>Keys of the latest commands, so that a copy sent while the first was being applied is not applied again.</summary>
    private const int KeysRemembered = 64;

    /// <summary>
    /// The bid's own records are tried until storage answers: an activity that fails for good would fail the
    /// orchestration, and with it every later command to the bid.
    /// </summary>
    private static readonly TaskOptions StorageRetries = TaskOptions.FromRetryPolicy(
        new RetryPolicy(int.MaxValue, TimeSpan.FromSeconds(1), 2, TimeSpan.FromMinutes(1)));

    public override async Task<object?> RunAsync(TaskOrchestrationContext context, BidRun input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var listening = context.WaitForExternalEvent<BidCommandEvent>(CommandEvent);
        var run = input;
        BidCommandEvent next;
        if (input.InHand.IsEmpty)
        {
            context.SetCustomStatus(Waiting);
            next = await NextDeadlineOrAsync(context, input, listening);
            if (listening.IsCompleted)
            {
                listening = context.WaitForExternalEvent<BidCommandEvent>(CommandEvent);
            }
        }
        else
        {
            next = input.InHand[0];
            run = input with { InHand = input.InHand.RemoveAt(0) };
        }

        context.SetCustomStatus(Applying);
        var after = run.RecentKeys.Contains(next.Key) ? run : await ApplyAsync(context, run, next);

        // Commands that arrived meanwhile are taken into the next generation here, one listener at a time, rather
        // than left for Durable Task to carry over: the sidecar this app runs locally drops what it would carry.
        while (listening.IsCompletedSuccessfully)
        {
            after = after with { InHand = after.InHand.Add(await listening) };
            listening = context.WaitForExternalEvent<BidCommandEvent>(CommandEvent);
        }

        context.ContinueAsNew(after);
        return null;
    }

    /// <summary>The command heard by <paramref name="listening"/>, or the bid's next deadline if it comes due first.</summary>
    internal static async Task<BidCommandEvent> NextDeadlineOrAsync(TaskOrchestrationContext context, BidRun run, Task<BidCommandEvent> listening)
    {
        // A deadline whose firing was refused is not waited on again, or the bid would fire it over and over.
        var deadline = run.State?.Timers.Where(t => !run.RecentKeys.Contains(TimerKey(t.Id))).MinBy(t => t.DueAt);
        if (deadline is null || run.Rules is null)
        {
            return await listening;
        }

        // A deadline already due is fired at once: a durable timer for it would fire at once too, and its message,
        // arriving as this generation ends, could be taken by the next one.
        var fireAt = (deadline.DueAt - run.ClockOffset).UtcDateTime;
        if (fireAt > context.CurrentUtcDateTime)
        {
            using var cancelTimer = new CancellationTokenSource();
            var due = context.CreateTimer(fireAt, cancelTimer.Token);
            if (await Task.WhenAny(listening, due) == listening)
            {
                // Cancel, not CancelAsync: an orchestrator may await only durable tasks.
                cancelTimer.Cancel();
                return await listening;
            }
        }

        // The timer fired, so the deadline has come, even if the queue gave the message back a moment early.
        var now = BusinessNow(context, run) is var clock && clock > deadline.DueAt ? clock : deadline.DueAt;
        var key = TimerKey(deadline.Id);
        return new BidCommandEvent(key, key, new FireTimer(Actor.System, deadline.Id), now, run.ClockOffset, run.Rules, Answered: false);
    }

    private static string TimerKey(string timerId) => $"timer:{timerId}";

    private static DateTimeOffset BusinessNow(TaskOrchestrationContext context, BidRun run) =>
        new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero) + run.ClockOffset;

    private async Task<BidRun> ApplyAsync(TaskOrchestrationContext context, BidRun run, BidCommandEvent next)
    {
        var bidId = context.InstanceId;
        var remembered = run.RecentKeys.Add(next.Key);
        var unchanged = run with { Rules = next.Rules, ClockOffset = next.ClockOffset, RecentKeys = remembered.Count > KeysRemembered ? remembered.RemoveAt(0) : remembered };

        var decision = BidDecision.Decide(run.State, next.Command, next.Rules, calendar, next.At);
        var answer = BidDecision.Answer(bidId, run.State, decision);
        if (decision is Accepted { Moves.Count: > 0 } moving
            && await context.CallActivityAsync<string?>(nameof(MoveMoney), new MoneyMove(bidId, moving.State.Version, next.Key, moving.Moves), StorageRetries) is { } shortfall)
        {
            answer = BidDecision.Refusal(bidId, run.State, RefusalKind.Invalid, shortfall);
        }

        if (answer is not null)
        {
            if (next.Answered)
            {
                await context.CallActivityAsync(nameof(RecordAnswer), new AnswerRecord(bidId, next.Key, next.Fingerprint, answer), StorageRetries);
            }
            else
            {
                LogUnansweredRefusal(context.CreateReplaySafeLogger<BidOrchestration>(), bidId, next.Command.GetType().Name, answer.Outcome, answer.Reason);
            }

            return unchanged;
        }

        var accepted = (Accepted)decision;
        var step = new StepRecord(
            run.State is null, accepted.State, accepted.Events, accepted.Effects, next.Key, next.Fingerprint,
            new CommandResult(bidId, CommandOutcome.Accepted, accepted.State.Version, accepted.State.Stage), next.At);
        var committed = await context.CallActivityAsync<StepCommitted>(nameof(CommitStep), step, StorageRetries);

        // One at a time, in the order the step asked for them: a receipt reaches the applicant before the news reaches anyone else.
        var inHand = unchanged.InHand;
        foreach (var done in committed.Done)
        {
            inHand = SendFollowUp(context, unchanged, next, done, inHand);
        }

        for (var i = 0; i < committed.Left.Count; i++)
        {
            var effect = new EffectRef(bidId, committed.Left[i]);
            var followUp = await CarryOutAsync(context, effect, i == 0 ? committed.Error : null);
            inHand = SendFollowUp(context, unchanged, next, new EffectDone(effect.EffectId, followUp), inHand);
        }

        return unchanged with { State = accepted.State, InHand = inHand };
    }

    /// <summary>
    /// Sends the command an effect asks for: to this bid in its next generation, or to the other bid now.
    /// </summary>
    private static ImmutableList<BidCommandEvent> SendFollowUp(TaskOrchestrationContext context, BidRun run, BidCommandEvent next, EffectDone done, ImmutableList<BidCommandEvent> inHand)
    {
        var key = $"effect:{context.InstanceId}:{done.EffectId}";
        if (done.FollowUp is { BidId: null } own)
        {
            return inHand.Add(new BidCommandEvent(key, key, own.Command, BusinessNow(context, run), run.ClockOffset, next.Rules, Answered: false));
        }

        if (done.FollowUp is { BidId: { } other, Rules: { } rules } transfer)
        {
            context.SendEvent(other, CommandEvent, new BidCommandEvent(key, key, transfer.Command, BusinessNow(context, run), run.ClockOffset, rules));
        }

        return inHand;
    }

    /// <summary>
    /// An effect is tried again with growing pauses, up to <see cref="EngineOptions.EffectAttempts"/> tries in all
    /// (counting the one made with the step, which failed with <paramref name="firstError"/>, if any); one that never
    /// succeeds is recorded as failed, for the coordinator. Answers the command the effect asks a bid to take next, if any.
    /// </summary>
    private async Task<FollowUp?> CarryOutAsync(TaskOrchestrationContext context, EffectRef effect, string? firstError)
    {
        var attempts = engine.Value.EffectAttempts - (firstError is null ? 0 : 1);
        var pause = engine.Value.EffectFirstRetry;
        var error = firstError;
        if (attempts > 0)
        {
            if (firstError is not null)
            {
                await context.CreateTimer(pause, CancellationToken.None);
                pause *= 2;
            }

            try
            {
                return await context.CallActivityAsync<FollowUp?>(nameof(CarryOutEffect), effect,
                    TaskOptions.FromRetryPolicy(new RetryPolicy(attempts, pause, 2, TimeSpan.FromMinutes(5))));
            }
            catch (TaskFailedException failed)
            {
                error = failed.FailureDetails.ErrorMessage;
            }
        }

        await context.CallActivityAsync(nameof(GiveUpEffect), new EffectFailure(effect.BidId, effect.EffectId, error ?? "The effect was not carried out."), StorageRetries);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bid {BidId} did not take its own {Command} ({Outcome}): {Reason}")]
    private static partial void LogUnansweredRefusal(ILogger logger, string bidId, string command, CommandOutcome outcome, string? reason);
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Partnership.Functions.Engine;
using Partnership.Functions.Funds;
using Partnership.Functions.Identity;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Workflow;

/// <summary>
/// Gives commands to bids' orchestrations and waits briefly for their answers. What the bid as last recorded
/// refuses is refused at once, without bothering its orchestration; the rest is sent to it, which decides again on
/// the state it holds and records the answer under the command's key. Copies of one request are applied once:
/// the orchestration remembers the keys it has applied, and every copy reads the one recorded answer.
/// </summary>
public sealed partial class BidCommandService(
    BidRepository repository,
    BidPrecheck prechecks,
    DurableTaskClient engine,
    IOptions<EngineOptions> options,
    EngineClock engineClock,
    AnswerSignals signals,
    TimeProvider clock,
    ILogger<BidCommandService> logger)
{
    private static readonly SemaphoreSlim[] StartGates = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    private static readonly StartOrchestrationOptions NeverReplace = new StartOrchestrationOptions().WithDedupeStatuses(
        OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Completed,
        OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated, OrchestrationRuntimeStatus.Suspended);

    /// <summary>
    /// A new bid's id comes from who asked and their idempotency key, so a retried "start" finds the bid it created
    /// the first time instead of opening a second one.
    /// </summary>
    public static string NewBidId(string userId, string idempotencyKey) => Hash($"start|{userId}|{idempotencyKey}")[..32];

    public Task<CommandResult> StartAsync(StartBid command, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return ExecuteAsync(command.BidId, command, idempotencyKey, cancellationToken);
    }

    /// <summary>
    /// The answer already given to this key, for callers that must not redo work before the command (an upload):
    /// the same answer for the same request, a refusal for a different one.
    /// </summary>
    public async Task<CommandResult?> FindAnswerAsync(string bidId, Actor actor, string idempotencyKey, string requestFingerprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return await AnsweredAsync(bidId, CommandKey(actor, idempotencyKey), requestFingerprint, cancellationToken);
    }

    /// <summary>
    /// What a single-use credential (a decision link, a reply address) was used for: only an accepted decision uses
    /// one up, so a refused attempt can be corrected and sent again.
    /// </summary>
    public async Task<CommandResult?> FindUseAsync(string bidId, Actor actor, string useKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return await AnsweredAsync(bidId, CommandKey(actor, useKey), fingerprint: null, cancellationToken);
    }

    public async Task RecordUseAsync(string bidId, Actor actor, string useKey, CommandResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await repository.TryRecordAnswerAsync(bidId, CommandKey(actor, useKey), "use", result, cancellationToken);
    }

    /// <summary>The idempotency key for one attempt with a single-use credential: the same decision sent twice is one attempt.</summary>
    public static string AttemptKey(string useKey, BidCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return $"{useKey}:{Fingerprint(command)[..16]}";
    }

    private static string Fingerprint(BidCommand command) => Hash(command.GetType().Name + JsonSerializer.Serialize(command, command.GetType(), WorkflowJson.Options));

    /// <summary>
    /// Decides and applies a command once per idempotency key. <paramref name="requestFingerprint"/> stands for the
    /// request when the command itself differs between retries of it (an upload's blob name and time).
    /// </summary>
    public async Task<CommandResult> ExecuteAsync(string bidId, BidCommand command, string idempotencyKey, CancellationToken cancellationToken, string? requestFingerprint = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var activity = Hosting.Telemetry.StartCommandActivity(bidId, command.GetType().Name);
        var commandKey = CommandKey(command.Actor, idempotencyKey);
        var fingerprint = requestFingerprint ?? Fingerprint(command);
        if (await AnsweredAsync(bidId, commandKey, fingerprint, cancellationToken) is { } answered)
        {
            return answered;
        }

        var now = clock.GetUtcNow();
        var precheck = await prechecks.CheckAsync(bidId, command, now, cancellationToken);
        if (precheck.Answer is { } answer)
        {
            // No bid or no fund is answered unrecorded, before anything is written; a decided refusal is kept for retries.
            return precheck.Rules is null ? answer : await RecordAsync(bidId, commandKey, fingerprint, answer, cancellationToken);
        }

        using var listener = signals.Listen(bidId, commandKey);
        await HandOverAsync(bidId, precheck.Snapshot, new BidCommandEvent(commandKey, fingerprint, command, now, engineClock.Offset, precheck.Rules!), cancellationToken);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        if (await AwaitAnswerAsync(listener, bidId, commandKey, fingerprint, options.Value.AnswerWait, cancellationToken) is { } applied)
        {
            return applied;
        }

        LogPending(logger, bidId, waited.Elapsed);
        return new CommandResult(bidId, CommandOutcome.Pending, Reason: "The bid has not yet applied this command; ask its status address.");
    }

    /// <summary>
    /// Fires, in order, every deadline of the bid that the clock has reached, as its orchestration's own timers
    /// would: for a bid whose deadlines ran on another clock until now (one seeded at the board papers' dates).
    /// Answers how many fired.
    /// </summary>
    public async Task<int> FireDueTimersAsync(string bidId, CancellationToken cancellationToken)
    {
        var fired = 0;
        while (await repository.LoadAsync(bidId, cancellationToken) is { } snapshot
            && snapshot.State.Timers.Where(t => t.DueAt <= clock.GetUtcNow()).MinBy(t => t.DueAt) is { } due)
        {
            var result = await SettledAsync(bidId, Actor.System, $"timer:{due.Id}",
                await ExecuteAsync(bidId, new FireTimer(Actor.System, due.Id), $"timer:{due.Id}", cancellationToken), cancellationToken);
            if (result.Outcome is not (CommandOutcome.Accepted or CommandOutcome.Ignored))
            {
                throw new InvalidOperationException($"Bid {bidId} did not fire its deadline {due.Id}: {result.Outcome} {result.Reason}");
            }

            fired += result.Outcome == CommandOutcome.Accepted ? 1 : 0;
        }

        return fired;
    }

    /// <summary>
    /// The final answer to a command, for callers with no person waiting (seeding, catching up): a pending one is
    /// asked for again until its bid has applied it.
    /// </summary>
    public async Task<CommandResult> SettledAsync(string bidId, Actor actor, string idempotencyKey, CommandResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Outcome != CommandOutcome.Pending)
        {
            return result;
        }

        var commandKey = CommandKey(actor, idempotencyKey);
        using var listener = signals.Listen(bidId, commandKey);
        return await AwaitAnswerAsync(listener, bidId, commandKey, fingerprint: null, TimeSpan.FromMinutes(5), cancellationToken)
            ?? throw new TimeoutException($"Bid {bidId} has not applied command {idempotencyKey} after five minutes.");
    }

    /// <summary>
    /// The answer given to a command sent earlier with this key, or <see cref="CommandOutcome.Pending"/> while its
    /// bid has not yet applied it.
    /// </summary>
    public async Task<CommandResult> AnswerAsync(string bidId, Actor actor, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return await AnsweredAsync(bidId, CommandKey(actor, idempotencyKey), fingerprint: null, cancellationToken)
            ?? new CommandResult(bidId, CommandOutcome.Pending, Reason: "The bid has not yet applied this command.");
    }

    /// <summary>
    /// Hands the command to the bid's orchestration; a new bid's, or one recorded before it had one, starts with
    /// it. Starting never replaces an orchestration: if one is there already, the command goes to it.
    /// </summary>
    private async Task HandOverAsync(string bidId, BidSnapshot? snapshot, BidCommandEvent command, CancellationToken cancellationToken)
    {
        if (snapshot is { Orchestrated: true })
        {
            await engine.RaiseEventAsync(bidId, BidOrchestration.CommandEvent, command, cancellationToken);
            return;
        }

        // One start at a time per bid in this process, so that a second copy of it finds the first one's instance
        // and is sent to it, rather than starting the bid twice (the worker here does not check starts again).
        var gate = StartGates[(int)((uint)StringComparer.Ordinal.GetHashCode(bidId) % (uint)StartGates.Length)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            await engine.ScheduleNewOrchestrationInstanceAsync(
                nameof(BidOrchestration), BidRun.Starting(snapshot?.State, command), NeverReplace with { InstanceId = bidId }, cancellationToken);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            await engine.RaiseEventAsync(bidId, BidOrchestration.CommandEvent, command, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The answer once the bid has recorded one, null if none came within <paramref name="wait"/>. With the worker
    /// in this process the answer is heard, and storage is read on a timer only in case another process applied it;
    /// without one, storage is read often at first and then every 100 ms.
    /// </summary>
    private async Task<CommandResult?> AwaitAnswerAsync(AnswerSignals.Listener listener, string bidId, string commandKey, string? fingerprint, TimeSpan wait, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var (pause, longest) = options.Value.RunWorker
            ? (TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500))
            : (TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100));
        while (true)
        {
            var left = wait - waited.Elapsed;
            await listener.WaitAsync(left < pause ? TimeSpan.FromTicks(Math.Max(left.Ticks, 0)) : pause, cancellationToken);
            if (await AnsweredAsync(bidId, commandKey, fingerprint, cancellationToken) is { } answer)
            {
                return answer;
            }

            if (waited.Elapsed >= wait)
            {
                return null;
            }

            pause = pause * 1.5 < longest ? pause * 1.5 : longest;
        }
    }

    /// <summary>Records an answer under the key; if another was recorded first, that one is the answer.</summary>
    private async Task<CommandResult> RecordAsync(string bidId, string commandKey, string fingerprint, CommandResult result, CancellationToken cancellationToken) =>
        await repository.TryRecordAnswerAsync(bidId, commandKey, fingerprint, result, cancellationToken)
            ? result
            : await AnsweredAsync(bidId, commandKey, fingerprint, cancellationToken) ?? result;

    /// <summary>The answer recorded under the key; with no <paramref name="fingerprint"/>, whatever request it answered.</summary>
    private async Task<CommandResult?> AnsweredAsync(string bidId, string commandKey, string? fingerprint, CancellationToken cancellationToken) =>
        await repository.FindCommandAsync(bidId, commandKey, cancellationToken) is { } record
            ? fingerprint is null || record.Fingerprint == fingerprint ? record.Result : KeyReused(bidId)
            : null;

    private static CommandResult KeyReused(string bidId) =>
        new(bidId, CommandOutcome.KeyReused, Reason: "This Idempotency-Key was already used for a different request.");

    private static string CommandKey(Actor actor, string idempotencyKey) => Hash($"{actor.UserId}|{idempotencyKey}");

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bid {BidId} had not applied a command after {Waited}; its caller was given the status address")]
    private static partial void LogPending(ILogger logger, string bidId, TimeSpan waited);
}

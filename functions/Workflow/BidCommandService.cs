using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Partnership.Functions.Budgets;
using Partnership.Functions.Funds;
using Partnership.Functions.Identity;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Workflow;

/// <summary>
/// Offers a command to a bid exactly once per idempotency key: one caller claims the key and decides, copies of the
/// same request wait for its answer. After the commit the effects are handed to the queue; the outbox recovery pass
/// covers a crash between the two.
/// </summary>
public sealed partial class BidCommandService(
    BidRepository repository,
    FundStore funds,
    IEffectPublisher queue,
    BidIndexProjection projection,
    BudgetLedger ledger,
    TimeProvider clock,
    ILogger<BidCommandService> logger)
{
    private const int MaxAttempts = 8;

    /// <summary>How long a copy waits on another holding its key before taking it as dead; far longer than a command takes.</summary>
    private static readonly TimeSpan ClaimPatience = TimeSpan.FromSeconds(20);

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

    /// <summary>Whether the command with this key was committed at this bid version (used to settle budget moves after a crash).</summary>
    public async Task<bool> CommittedAtAsync(string bidId, string commandKey, int version, CancellationToken cancellationToken) =>
        await repository.FindCommandAsync(bidId, commandKey, cancellationToken) is { Result: { Outcome: CommandOutcome.Accepted } result } && result.Version == version;

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
        return (await repository.FindCommandAsync(bidId, CommandKey(actor, useKey), cancellationToken))?.Result;
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
        var commandKey = CommandKey(command.Actor, idempotencyKey);
        var fingerprint = requestFingerprint ?? Fingerprint(command);
        if (await AnsweredAsync(bidId, commandKey, fingerprint, cancellationToken) is { } answered)
        {
            return answered;
        }

        // What can be refused without deciding is refused without writing anything.
        if (command is StartBid start)
        {
            if (await funds.FindAsync(start.FundId, cancellationToken) is null)
            {
                return new CommandResult(bidId, CommandOutcome.Refused, Refusal: RefusalKind.Invalid, Reason: $"There is no fund '{start.FundId}'.");
            }
        }
        else if (await repository.LoadAsync(bidId, cancellationToken) is not { } existing
            || (command.Actor.Role != Role.System && !command.Actor.MayRead(existing.State.OrganisationId)))
        {
            // A bid the caller may not read answers as no bid, before any stage is revealed.
            return new CommandResult(bidId, CommandOutcome.NotFound, Reason: "There is no bid with this id that you can read.");
        }

        for (var round = 0; ; round++)
        {
            if (await repository.TryClaimAsync(bidId, commandKey, fingerprint, clock.GetUtcNow(), cancellationToken))
            {
                return await DecideClaimedAsync(bidId, command, commandKey, fingerprint, cancellationToken);
            }

            if (await AwaitClaimantAsync(bidId, command, commandKey, fingerprint, cancellationToken) is { } waited)
            {
                return waited;
            }

            if (round >= MaxAttempts)
            {
                return new CommandResult(bidId, CommandOutcome.Busy, Reason: "Another copy of this request is still being decided; try again.");
            }
        }
    }

    /// <summary>
    /// Waits while another copy of the same request holds its key: its answer is this one's too. Null when the claim
    /// was given back, or its holder died and this caller took it over (then the caller decides after all).
    /// </summary>
    private async Task<CommandResult?> AwaitClaimantAsync(string bidId, BidCommand command, string commandKey, string fingerprint, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (await AnsweredAsync(bidId, commandKey, fingerprint, cancellationToken) is { } answer)
            {
                return answer;
            }

            var claim = await repository.FindClaimAsync(bidId, commandKey, cancellationToken);
            if (claim is null)
            {
                return null;
            }

            if (claim.Value.Fingerprint != fingerprint)
            {
                return KeyReused(bidId);
            }

            if (waited.Elapsed > ClaimPatience)
            {
                if (await repository.TryTakeOverClaimAsync(bidId, commandKey, claim.Value.ETag, clock.GetUtcNow(), cancellationToken))
                {
                    LogTakeOver(logger, bidId);
                    return await DecideClaimedAsync(bidId, command, commandKey, fingerprint, cancellationToken);
                }

                waited.Restart();
            }

            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 200));
        }
    }
    /// <summary>
    /// Decides as the holder of the key's claim. An answer that is recorded keeps the claim; one that is not (no such
    /// bid, too busy, a failure) gives it back, so a retry with the same key can try again.
    /// </summary>
    private async Task<CommandResult> DecideClaimedAsync(string bidId, BidCommand command, string commandKey, string fingerprint, CancellationToken cancellationToken)
    {
        CommandResult? result = null;
        try
        {
            result = await DecideAsync(bidId, command, commandKey, fingerprint, cancellationToken);
            return result;
        }
        finally
        {
            if (result is null or { Outcome: CommandOutcome.NotFound or CommandOutcome.Busy })
            {
                await repository.ReleaseClaimAsync(bidId, commandKey, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// Decides on the stored state and writes the outcome in one transaction guarded by the state's ETag; on a lost
    /// race decides again on the fresh state. Every answer that changes nothing is recorded under the key too, so the
    /// copies waiting on the claim and any later retry get it.
    /// </summary>
    private async Task<CommandResult> DecideAsync(string bidId, BidCommand command, string commandKey, string fingerprint, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (await AnsweredAsync(bidId, commandKey, fingerprint, cancellationToken) is { } earlier)
            {
                return earlier;
            }

            var snapshot = await repository.LoadAsync(bidId, cancellationToken);
            var now = clock.GetUtcNow();
            Decision decision;
            if (snapshot is null)
            {
                if (command is not StartBid start)
                {
                    return new CommandResult(bidId, CommandOutcome.NotFound, Reason: "There is no bid with this id.");
                }

                decision = BidWorkflow.Start(start, now);
            }
            else if (command is StartBid)
            {
                decision = new Refused(RefusalKind.Invalid, "A bid with this id already exists; use a new Idempotency-Key to start another.");
            }
            else
            {
                var workflow = new BidWorkflow(await funds.SettingsForAsync(snapshot.State.FundId, cancellationToken));
                decision = workflow.Decide(snapshot.State, command, now);
            }

            var (version, stage) = (snapshot?.State.Version, snapshot?.State.Stage);
            CommandResult unchanged;
            switch (decision)
            {
                case Ignored ignored:
                    unchanged = new CommandResult(bidId, CommandOutcome.Ignored, version, stage, Reason: ignored.Reason);
                    break;
                case Refused refused:
                    unchanged = new CommandResult(bidId, CommandOutcome.Refused, version, stage, refused.Kind, refused.Reason);
                    break;
                case Accepted accepted when accepted.Moves.Count > 0 && await ledger.ApplyAsync(bidId, accepted.State.Version, commandKey, accepted.Moves, cancellationToken) is { } shortfall:
                    unchanged = new CommandResult(bidId, CommandOutcome.Refused, version, stage, RefusalKind.Invalid, shortfall);
                    break;
                case Accepted accepted:
                    if (await CommitAcceptedAsync(snapshot, accepted, commandKey, fingerprint, now, attempt, command, cancellationToken) is { } committed)
                    {
                        return committed;
                    }

                    continue;
                default:
                    throw new InvalidOperationException($"Unknown decision {decision.GetType().Name}.");
            }

            if (await RecordAsync(bidId, commandKey, fingerprint, unchanged, cancellationToken) is { } answer)
            {
                return answer;
            }
        }

        return new CommandResult(bidId, CommandOutcome.Busy, Reason: "The bid kept changing while this command was decided; try again.");
    }

    /// <summary>Commits an accepted decision whose money (if any) is already moved; null when another writer got in first.</summary>
    private async Task<CommandResult?> CommitAcceptedAsync(BidSnapshot? snapshot, Accepted accepted, string commandKey, string fingerprint, DateTimeOffset now, int attempt, BidCommand command, CancellationToken cancellationToken)
    {
        var bidId = accepted.State.BidId;
        var version = accepted.State.Version;
        var result = new CommandResult(bidId, CommandOutcome.Accepted, version, accepted.State.Stage);
        var commit = await repository.CommitAsync(
            new Commit(snapshot, accepted.State, accepted.Events, accepted.Effects, commandKey, fingerprint, result, now), cancellationToken);
        if (commit.Outcome == CommitOutcome.Committed)
        {
            if (accepted.Moves.Count > 0)
            {
                await ledger.MarkCommittedAsync(bidId, version, commandKey, accepted.Moves, cancellationToken);
            }

            await AfterCommitAsync(accepted.State, commit.EffectIds, cancellationToken);
            return result;
        }

        // The money stays moved only if this very command did commit at this version after all (a copy that outlived
        // its claim); otherwise nothing will ever commit it.
        if (accepted.Moves.Count > 0 && !await CommittedAtAsync(bidId, commandKey, version, cancellationToken))
        {
            await ledger.ReverseAsync(bidId, version, commandKey, accepted.Moves, cancellationToken);
        }

        LogRetry(logger, command.GetType().Name, bidId, commit.Outcome, attempt);
        return null;
    }

    /// <summary>Records an answer under the key; if another was recorded first, that one is the answer.</summary>
    private async Task<CommandResult?> RecordAsync(string bidId, string commandKey, string fingerprint, CommandResult result, CancellationToken cancellationToken) =>
        await repository.TryRecordAnswerAsync(bidId, commandKey, fingerprint, result, cancellationToken)
            ? result
            : await AnsweredAsync(bidId, commandKey, fingerprint, cancellationToken);

    private async Task<CommandResult?> AnsweredAsync(string bidId, string commandKey, string fingerprint, CancellationToken cancellationToken) =>
        await repository.FindCommandAsync(bidId, commandKey, cancellationToken) is { } record
            ? record.Fingerprint == fingerprint ? record.Result : KeyReused(bidId)
            : null;

    private static CommandResult KeyReused(string bidId) =>
        new(bidId, CommandOutcome.KeyReused, Reason: "This Idempotency-Key was already used for a different request.");

    private async Task AfterCommitAsync(BidState state, IReadOnlyList<string> effectIds, CancellationToken cancellationToken)
    {
        // Both are best effort: the committed outbox rows are the promise, and the recovery pass keeps it.
        try
        {
            await queue.EnqueueAsync(effectIds.Select(id => new EffectMessage(state.BidId, id)), cancellationToken);
            await projection.ProjectAsync(state, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAfterCommitFailed(logger, e, state.BidId);
        }
    }

    private static string CommandKey(Actor actor, string idempotencyKey) => Hash($"{actor.UserId}|{idempotencyKey}");

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [LoggerMessage(Level = LogLevel.Information, Message = "{Command} on bid {BidId} lost a race ({Outcome}); attempt {Attempt}, deciding again")]
    private static partial void LogRetry(ILogger logger, string command, string bidId, CommitOutcome outcome, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A command on bid {BidId} took over an idempotency key whose holder never answered")]
    private static partial void LogTakeOver(ILogger logger, string bidId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bid {BidId} committed but its effects were not queued; the outbox recovery pass will queue them")]
    private static partial void LogAfterCommitFailed(ILogger logger, Exception exception, string bidId);
}

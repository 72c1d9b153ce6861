using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Partnership.Functions.Budgets;
using Partnership.Functions.Funds;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Workflow;

/// <summary>
/// Offers a command to a bid exactly once per idempotency key: decide on the stored state, write the outcome in
/// one transaction guarded by the state's ETag, and on a lost race decide again on the fresh state. After the
/// commit the effects are handed to the queue; the outbox recovery pass covers a crash between the two.
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

    /// <summary>The answer already given to this key, for callers that must not redo work before the command (an upload).</summary>
    public async Task<CommandResult?> FindAnswerAsync(string bidId, Actor actor, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return (await repository.FindCommandAsync(bidId, CommandKey(actor, idempotencyKey), cancellationToken))?.Result;
    }

    public async Task<CommandResult> ExecuteAsync(string bidId, BidCommand command, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var commandKey = CommandKey(command.Actor, idempotencyKey);
        var fingerprint = Hash(command.GetType().Name + JsonSerializer.Serialize(command, command.GetType(), WorkflowJson.Options));
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (await repository.FindCommandAsync(bidId, commandKey, cancellationToken) is { } answered)
            {
                return answered.Fingerprint == fingerprint ? answered.Result
                    : new CommandResult(bidId, CommandOutcome.KeyReused, Reason: "This Idempotency-Key was already used for a different request.");
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

                if (await funds.FindAsync(start.FundId, cancellationToken) is null)
                {
                    return new CommandResult(bidId, CommandOutcome.Refused, Refusal: RefusalKind.Invalid, Reason: $"There is no fund '{start.FundId}'.");
                }

                decision = BidWorkflow.Start(start, now);
            }
            else if (command is StartBid)
            {
                return new CommandResult(bidId, CommandOutcome.Refused, Refusal: RefusalKind.Invalid, Reason: "A bid with this id already exists; use a new Idempotency-Key to start another.");
            }
            else
            {
                var workflow = new BidWorkflow(await funds.SettingsForAsync(snapshot.State.FundId, cancellationToken));
                decision = workflow.Decide(snapshot.State, command, now);
            }

            switch (decision)
            {
                case Ignored ignored:
                    return new CommandResult(bidId, CommandOutcome.Ignored, snapshot?.State.Version, snapshot?.State.Stage, Reason: ignored.Reason);
                case Refused refused:
                    var refusal = new CommandResult(bidId, CommandOutcome.Refused, snapshot?.State.Version, snapshot?.State.Stage, refused.Kind, refused.Reason);
                    if (snapshot is null || await repository.TryRecordAnswerAsync(bidId, commandKey, fingerprint, refusal, cancellationToken))
                    {
                        return refusal;
                    }

                    continue;
                case Accepted accepted:
                    var version = accepted.State.Version;
                    if (accepted.Moves.Count > 0 && await ledger.ApplyAsync(bidId, version, commandKey, accepted.Moves, cancellationToken) is { } shortfall)
                    {
                        var noMoney = new CommandResult(bidId, CommandOutcome.Refused, snapshot?.State.Version, snapshot?.State.Stage, RefusalKind.Invalid, shortfall);
                        if (await repository.TryRecordAnswerAsync(bidId, commandKey, fingerprint, noMoney, cancellationToken))
                        {
                            return noMoney;
                        }

                        continue;
                    }

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

                    if (accepted.Moves.Count > 0)
                    {
                        await ledger.ReverseAsync(bidId, version, commandKey, accepted.Moves, cancellationToken);
                    }

                    LogRetry(logger, command.GetType().Name, bidId, commit.Outcome, attempt);
                    continue;
                default:
                    throw new InvalidOperationException($"Unknown decision {decision.GetType().Name}.");
            }
        }

        return new CommandResult(bidId, CommandOutcome.Busy, Reason: "The bid kept changing while this command was decided; try again.");
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bid {BidId} committed but its effects were not queued; the outbox recovery pass will queue them")]
    private static partial void LogAfterCommitFailed(ILogger logger, Exception exception, string bidId);
}

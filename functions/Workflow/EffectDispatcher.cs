using Partnership.Functions.Documents;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Notifications;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Workflow;

public enum DispatchOutcome
{
    Done,
    AlreadyDone,

    /// <summary>No such outbox row: the transaction that would have written it never committed.</summary>
    NoSuchEffect,

    /// <summary>Refused for good (a provider's 4xx): recorded on the row for the coordinator, not retried.</summary>
    Failed,
}

/// <summary>
/// Carries out one outbox row and records when it was done. A handler that throws leaves the row pending and the
/// exception travels back to the queue, which retries with backoff and finally parks the message in the poison queue.
/// </summary>
public sealed class EffectDispatcher(
    BidRepository repository,
    Storage storage,
    BidIndexProjection projection,
    INotificationSender notifications,
    GrantAgreementMaker agreements,
    BidCommandService commands,
    TimeProvider clock)
{
    public async Task<DispatchOutcome> DispatchAsync(EffectMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var item = await repository.FindEffectAsync(message.BidId, message.EffectId, cancellationToken);
        if (item is null || item.IsDone || item.FailedAt is not null)
        {
            await ForgetAsync(message, cancellationToken);
            return item is null ? DispatchOutcome.NoSuchEffect : DispatchOutcome.AlreadyDone;
        }

        var snapshot = await repository.LoadAsync(message.BidId, cancellationToken)
            ?? throw new InvalidOperationException($"Bid {message.BidId} has an outbox row but no state.");
        try
        {
            switch (item.Kind, item.Effect)
            {
                case (OutboxKind.Projection, _):
                    await projection.ProjectAsync(snapshot.State, cancellationToken);
                    break;
                case (OutboxKind.Effect, Notify notify):
                    await notifications.SendAsync(snapshot.State, item.EffectId, notify, cancellationToken);
                    break;
                case (OutboxKind.Effect, MakeDocument { Kind: DocumentKind.GrantAgreement }):
                    await agreements.MakeAsync(snapshot.State, item.EffectId, cancellationToken);
                    break;
                case (OutboxKind.Effect, TransferFunding transfer):
                    var received = await commands.ExecuteAsync(
                        transfer.ToBidId, new ReceiveTransfer(Actor.System, message.BidId, transfer.LineId, transfer.Amount), $"effect:{message.BidId}:{item.EffectId}", cancellationToken);
                    if (received.Outcome != CommandOutcome.Accepted)
                    {
                        // The money is back on the line, unallocated; the failed effect shows the coordinator why it did not arrive.
                        throw new InvalidOperationException($"Bid {transfer.ToBidId} could not take the transfer: {received.Reason}");
                    }

                    break;
                default:
                    throw new InvalidOperationException($"No handler for outbox row {item.EffectId} ({item.Kind}, {item.Effect?.GetType().Name}).");
            }
        }
        catch (PermanentDeliveryException e)
        {
            await repository.RecordEffectFailureAsync(item, e.Message, cancellationToken, clock.GetUtcNow());
            await ForgetAsync(message, cancellationToken);
            return DispatchOutcome.Failed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await repository.RecordEffectFailureAsync(item, e.Message, cancellationToken);
            throw;
        }

        await repository.MarkEffectDoneAsync(item, clock.GetUtcNow(), cancellationToken);
        await ForgetAsync(message, cancellationToken);
        return DispatchOutcome.Done;
    }

    private async Task ForgetAsync(EffectMessage message, CancellationToken cancellationToken) =>
        await storage.OutboxIndex.DeleteEntityAsync(
            BidRepository.OutboxIndexPartition, BidRepository.OutboxIndexRow(message.BidId, message.EffectId), cancellationToken: cancellationToken);
}

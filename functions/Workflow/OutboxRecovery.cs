using Azure;
using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;

namespace Partnership.Functions.Workflow;

/// <summary>
/// Finds effects that were committed but never reached the queue (the process died between the two) or whose
/// messages were lost, and queues them again. It reads only the index of effects not yet done.
/// </summary>
public sealed class OutboxRecovery(Storage storage, BidRepository repository, IEffectPublisher queue, TimeProvider clock)
{
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {BidRepository.OutboxIndexPartition} and NotBefore le {now}");
        var requeued = 0;
        await foreach (var entry in storage.OutboxIndex.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var bidId = entry.GetString("BidId");
            var effectId = entry.GetString("EffectId");
            var item = await repository.FindEffectAsync(bidId, effectId, cancellationToken);
            if (item is null || item.IsDone || item.FailedAt is not null)
            {
                await storage.OutboxIndex.DeleteEntityAsync(entry.PartitionKey, entry.RowKey, ETag.All, cancellationToken);
                continue;
            }

            await queue.EnqueueAsync([new EffectMessage(bidId, effectId)], cancellationToken);
            requeued++;
            entry["NotBefore"] = now + Backoff(item.Attempts);
            try
            {
                await storage.OutboxIndex.UpdateEntityAsync(entry, entry.ETag, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // The dispatcher finished the effect and removed its entry meanwhile; nothing is left to recover.
            }
        }

        return requeued;
    }

    /// <summary>An effect that keeps failing is offered again less and less often, at most hourly.</summary>
    internal static TimeSpan Backoff(int attempts) => TimeSpan.FromMinutes(Math.Min(60, 2 * Math.Pow(2, Math.Min(attempts, 5))));
}

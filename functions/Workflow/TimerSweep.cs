using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Workflow;

/// <summary>
/// Fires every timer that is due. It reads the timer index up to now and nothing else, so its cost follows the
/// number of due timers, not the number of bids. Firing is a command with the timer's id as its idempotency key,
/// so two sweeps that overlap fire each timer once.
/// </summary>
public sealed class TimerSweep(Storage storage, BidCommandService commands, TimeProvider clock)
{
    public const int BatchSize = 200;

    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {BidRepository.TimerIndexPartition} and RowKey lt {BidRepository.IndexRowBound(now)}");
        var due = new List<TableEntity>();
        await foreach (var entry in storage.TimerIndex.QueryAsync<TableEntity>(filter, maxPerPage: BatchSize, cancellationToken: cancellationToken))
        {
            due.Add(entry);
            if (due.Count == BatchSize)
            {
                break;
            }
        }

        var fired = 0;
        var dropped = 0;
        foreach (var entry in due)
        {
            if (entry.GetDateTimeOffset("WrittenAt") > now - BidRepository.IndexGrace)
            {
                continue;
            }

            var bidId = entry.GetString("BidId");
            var timerId = entry.GetString("TimerId");
            var result = await commands.ExecuteAsync(bidId, new FireTimer(Actor.System, timerId), $"timer:{timerId}", cancellationToken);
            if (result.Outcome == CommandOutcome.Busy)
            {
                continue;
            }

            if (result.Outcome == CommandOutcome.Accepted)
            {
                fired++;
            }
            else
            {
                dropped++;
            }

            await storage.TimerIndex.DeleteEntityAsync(entry.PartitionKey, entry.RowKey, cancellationToken: cancellationToken);
        }

        return new SweepResult(due.Count, fired, dropped);
    }
}

/// <summary>What one sweep saw: index entries due, timers fired, and entries dropped because their timer no longer applied.</summary>
public sealed record SweepResult(int Due, int Fired, int Dropped);

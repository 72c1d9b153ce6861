using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Partnership.Functions.Tests.Support;

/// <summary>Every row, blob and queue message of one app's storage prefix, by key and ETag, to prove a request changed none of them.</summary>
public sealed record StorageSnapshot(IReadOnlySet<string> Items)
{
    public static async Task<StorageSnapshot> TakeAsync(string connectionString, string prefix)
    {
        var tables = new TableServiceClient(connectionString);
        var names = new List<string>();
        await foreach (var table in tables.QueryAsync(t => t.Name.CompareTo(prefix) >= 0 && t.Name.CompareTo(prefix + "~") < 0))
        {
            // The task hub's own tables change as the engine renews its leases, whatever a request does.
            if (!table.Name.StartsWith(prefix + "taskhub", StringComparison.Ordinal))
            {
                names.Add(table.Name);
            }
        }

        var rows = await Task.WhenAll(names.Select(async name =>
        {
            var items = new List<string>();
            await foreach (var row in tables.GetTableClient(name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                items.Add($"{name}/{row.PartitionKey}/{row.RowKey}@{row.ETag}");
            }

            return items;
        }));
        var all = rows.SelectMany(r => r).ToHashSet();
        var container = new BlobServiceClient(connectionString).GetBlobContainerClient($"{prefix}-documents");
        if (await container.ExistsAsync())
        {
            await foreach (var blob in container.GetBlobsAsync())
            {
                all.Add($"blob/{blob.Name}@{blob.Properties.ETag}");
            }
        }

        var queues = new QueueServiceClient(connectionString);
        await foreach (var queue in queues.GetQueuesAsync(prefix: prefix))
        {
            foreach (var message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                all.Add($"queue/{queue.Name}/{message.MessageId}");
            }
        }

        return new StorageSnapshot(all);
    }

    /// <summary>What differs from <paramref name="before"/>, for a failure message; empty when nothing changed.</summary>
    public IReadOnlyList<string> ChangesSince(StorageSnapshot before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return [.. Items.Except(before.Items).Select(i => $"+ {i}").Concat(before.Items.Except(Items).Select(i => $"- {i}"))];
    }
}

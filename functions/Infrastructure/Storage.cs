using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Partnership.Functions.Infrastructure;

/// <summary>The app's tables, container and queues, named from one prefix.</summary>
public sealed class Storage
{
    public Storage(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        var queueOptions = Bounded(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, settings);
        var tableOptions = Bounded(new TableClientOptions(), settings);
        var blobOptions = Bounded(new BlobClientOptions(), settings);
        TableServiceClient tables;
        BlobServiceClient blobs;
        QueueServiceClient queues;
        if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            tables = new TableServiceClient(settings.ConnectionString, tableOptions);
            blobs = new BlobServiceClient(settings.ConnectionString, blobOptions);
            queues = new QueueServiceClient(settings.ConnectionString, queueOptions);
        }
        else if (!string.IsNullOrWhiteSpace(settings.AccountName))
        {
            var credential = new DefaultAzureCredential();
            tables = new TableServiceClient(new Uri($"https://{settings.AccountName}.table.core.windows.net"), credential, tableOptions);
            blobs = new BlobServiceClient(new Uri($"https://{settings.AccountName}.blob.core.windows.net"), credential, blobOptions);
            queues = new QueueServiceClient(new Uri($"https://{settings.AccountName}.queue.core.windows.net"), credential, queueOptions);
        }
        else
        {
            throw new InvalidOperationException("Set Storage:ConnectionString (locally) or Storage:AccountName (in Azure).");
        }

        var prefix = settings.Prefix;
        Bids = tables.GetTableClient($"{prefix}bids");
        BidIndex = tables.GetTableClient($"{prefix}bidindex");
        TimerIndex = tables.GetTableClient($"{prefix}timerindex");
        OutboxIndex = tables.GetTableClient($"{prefix}outboxindex");
        Funds = tables.GetTableClient($"{prefix}funds");
        Budgets = tables.GetTableClient($"{prefix}budgets");
        Organisations = tables.GetTableClient($"{prefix}organisations");
        Users = tables.GetTableClient($"{prefix}users");
        Messages = tables.GetTableClient($"{prefix}messages");
        Digests = tables.GetTableClient($"{prefix}digests");
        Documents = blobs.GetBlobContainerClient(settings.DocumentsContainer);
        Effects = queues.GetQueueClient(settings.EffectsQueue);
        EffectsPoison = queues.GetQueueClient($"{settings.EffectsQueue}-poison");
    }

    private static T Bounded<T>(T options, StorageOptions settings)
        where T : Azure.Core.ClientOptions
    {
        options.Retry.NetworkTimeout = settings.RequestTimeout;
        options.Retry.MaxRetries = settings.MaxRetries;
        options.Retry.Mode = Azure.Core.RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        return options;
    }

    /// <summary>One partition per bid: its state, history, outbox, timers and the commands it has answered.</summary>
    public TableClient Bids { get; }

    /// <summary>The bid list read model, one row per bid under its fund.</summary>
    public TableClient BidIndex { get; }

    /// <summary>Pending timers ordered by due time, so the sweep reads only what is due.</summary>
    public TableClient TimerIndex { get; }

    /// <summary>Effects not yet carried out, ordered by when they were recorded, for the recovery pass.</summary>
    public TableClient OutboxIndex { get; }

    public TableClient Funds { get; }

    /// <summary>One partition per budget line: the line with its allocations, and the money moves made on it.</summary>
    public TableClient Budgets { get; }

    public TableClient Organisations { get; }

    public TableClient Users { get; }

    /// <summary>Every message, whichever way it went (the local outbox when nothing is configured to send).</summary>
    public TableClient Messages { get; }

    /// <summary>Messages held for a person's daily digest, one partition per person, until the digest goes.</summary>
    public TableClient Digests { get; }

    public BlobContainerClient Documents { get; }

    public QueueClient Effects { get; }

    public QueueClient EffectsPoison { get; }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            Bids.CreateIfNotExistsAsync(cancellationToken),
            BidIndex.CreateIfNotExistsAsync(cancellationToken),
            TimerIndex.CreateIfNotExistsAsync(cancellationToken),
            OutboxIndex.CreateIfNotExistsAsync(cancellationToken),
            Funds.CreateIfNotExistsAsync(cancellationToken),
            Budgets.CreateIfNotExistsAsync(cancellationToken),
            Organisations.CreateIfNotExistsAsync(cancellationToken),
            Users.CreateIfNotExistsAsync(cancellationToken),
            Messages.CreateIfNotExistsAsync(cancellationToken),
            Digests.CreateIfNotExistsAsync(cancellationToken),
            Documents.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            Effects.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            EffectsPoison.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
    }
}

using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace Partnership.Functions.Infrastructure;

/// <summary>The app's tables and container, named from one prefix.</summary>
public sealed class Storage
{
    public Storage(StorageAccount account, IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        var tables = account.Tables(Bounded(new TableClientOptions(), settings));
        var blobs = account.Blobs(Bounded(new BlobClientOptions(), settings));
        var prefix = settings.Prefix;
        Bids = tables.GetTableClient($"{prefix}bids");
        BidIndex = tables.GetTableClient($"{prefix}bidindex");
        Funds = tables.GetTableClient($"{prefix}funds");
        Budgets = tables.GetTableClient($"{prefix}budgets");
        Organisations = tables.GetTableClient($"{prefix}organisations");
        Users = tables.GetTableClient($"{prefix}users");
        Messages = tables.GetTableClient($"{prefix}messages");
        Digests = tables.GetTableClient($"{prefix}digests");
        SignIns = tables.GetTableClient($"{prefix}signins");
        Outcomes = tables.GetTableClient($"{prefix}outcomes");
        Documents = blobs.GetBlobContainerClient(settings.DocumentsContainer);
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

    /// <summary>One partition per bid: its state, history, effects and the commands it has answered.</summary>
    public TableClient Bids { get; }

    /// <summary>The bid list read model, one row per bid under its fund.</summary>
    public TableClient BidIndex { get; }

    public TableClient Funds { get; }

    /// <summary>One partition per budget line: the line with its allocations, and the money moves made on it.</summary>
    public TableClient Budgets { get; }

    public TableClient Organisations { get; }

    public TableClient Users { get; }

    /// <summary>Every message, whichever way it went (the local outbox when nothing is configured to send).</summary>
    public TableClient Messages { get; }

    /// <summary>Messages held for a person's daily digest, one partition per person, until the digest goes.</summary>
    public TableClient Digests { get; }

    /// <summary>Sign-in links already used (so none works twice) and the record of every sign-in, sign-out and refusal.</summary>
    public TableClient SignIns { get; }

    /// <summary>The partnership's outcome measures, and one partition per measure of the figures its leads report.</summary>
    public TableClient Outcomes { get; }

    public BlobContainerClient Documents { get; }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            Bids.CreateIfNotExistsAsync(cancellationToken),
            BidIndex.CreateIfNotExistsAsync(cancellationToken),
            Funds.CreateIfNotExistsAsync(cancellationToken),
            Budgets.CreateIfNotExistsAsync(cancellationToken),
            Organisations.CreateIfNotExistsAsync(cancellationToken),
            Users.CreateIfNotExistsAsync(cancellationToken),
            Messages.CreateIfNotExistsAsync(cancellationToken),
            Digests.CreateIfNotExistsAsync(cancellationToken),
            SignIns.CreateIfNotExistsAsync(cancellationToken),
            Outcomes.CreateIfNotExistsAsync(cancellationToken),
            Documents.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
    }
}

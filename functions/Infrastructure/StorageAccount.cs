using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using Microsoft.Extensions.Options;

namespace Partnership.Functions.Infrastructure;

/// <summary>
/// How the app reaches its storage account: by connection string locally, by the app's managed identity in Azure.
/// One choice, shared by the app's own clients and the Durable Task engine, so both always use the same account.
/// </summary>
public sealed class StorageAccount
{
    private readonly string? _connectionString;
    private readonly string? _name;
    private readonly TokenCredential? _credential;
    private readonly StorageCalls _calls;

    public StorageAccount(IOptions<StorageOptions> options, StorageCalls calls)
    {
        ArgumentNullException.ThrowIfNull(options);
        _calls = calls;
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            _connectionString = settings.ConnectionString;
        }
        else if (!string.IsNullOrWhiteSpace(settings.AccountName))
        {
            _name = settings.AccountName;
            _credential = new DefaultAzureCredential();
        }
        else
        {
            throw new InvalidOperationException("Set Storage:ConnectionString (locally) or Storage:AccountName (in Azure).");
        }
    }

    public TableServiceClient Tables(TableClientOptions options)
    {
        Counted(options, "app", "table");
        return _connectionString is not null
            ? new TableServiceClient(_connectionString, options)
            : new TableServiceClient(new Uri($"https://{_name}.table.core.windows.net"), _credential, options);
    }

    public BlobServiceClient Blobs(BlobClientOptions options)
    {
        Counted(options, "app", "blob");
        return _connectionString is not null
            ? new BlobServiceClient(_connectionString, options)
            : new BlobServiceClient(new Uri($"https://{_name}.blob.core.windows.net"), _credential, options);
    }

    /// <summary>The same account for the engine's task hub: its queues, tables and lease blobs.</summary>
    public StorageAccountClientProvider ForEngine()
    {
        var blob = Counted(new BlobClientOptions(), "engine", "blob");
        var queue = Counted(new QueueClientOptions(), "engine", "queue");
        var table = Counted(new TableClientOptions(), "engine", "table");
        return _connectionString is not null
            ? new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(_connectionString, blob),
                StorageServiceClientProvider.ForQueue(_connectionString, queue),
                StorageServiceClientProvider.ForTable(_connectionString, table))
            : new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(_name!, _credential!, blob),
                StorageServiceClientProvider.ForQueue(_name!, _credential!, queue),
                StorageServiceClientProvider.ForTable(_name!, _credential!, table));
    }

    private T Counted<T>(T options, string caller, string service)
        where T : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(_calls.For(caller, service), HttpPipelinePosition.PerRetry);
        return options;
    }
}

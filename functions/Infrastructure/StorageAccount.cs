using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
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

    public StorageAccount(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
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

    public TableServiceClient Tables(TableClientOptions options) => _connectionString is not null
        ? new TableServiceClient(_connectionString, options)
        : new TableServiceClient(new Uri($"https://{_name}.table.core.windows.net"), _credential, options);

    public BlobServiceClient Blobs(BlobClientOptions options) => _connectionString is not null
        ? new BlobServiceClient(_connectionString, options)
        : new BlobServiceClient(new Uri($"https://{_name}.blob.core.windows.net"), _credential, options);

    /// <summary>The same account for the engine's task hub: its queues, tables and lease blobs.</summary>
    public StorageAccountClientProvider ForEngine() => _connectionString is not null
        ? new StorageAccountClientProvider(_connectionString)
        : new StorageAccountClientProvider(_name!, _credential!);
}

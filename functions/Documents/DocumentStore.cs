using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using Partnership.Functions.Infrastructure;

namespace Partnership.Functions.Documents;

public sealed record StoredBlob(string BlobName, long Size, string Sha256);

/// <summary>Document bytes in Blob Storage, one blob per version under the bid: <c>bids/{bid}/{document}/v{n}/{file}</c>.</summary>
public sealed class DocumentStore(Storage storage)
{
    public static string BlobNameFor(string bidId, string documentId, int version, string fileName) =>
        $"bids/{bidId}/{documentId}/v{version}/{fileName}";

    /// <summary>Writes a new version; never overwrites one, so two uploads racing for the same version cannot both win.</summary>
    public async Task<StoredBlob?> TryWriteAsync(string blobName, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        try
        {
            await storage.Documents.GetBlobClient(blobName).UploadAsync(new BinaryData(content), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = new Dictionary<string, string> { ["sha256"] = sha },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
            return new StoredBlob(blobName, content.LongLength, sha);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Writes a generated document; writing the same one again replaces it, which makes a retried effect harmless.</summary>
    public async Task<StoredBlob> WriteGeneratedAsync(string blobName, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        await storage.Documents.GetBlobClient(blobName).UploadAsync(new BinaryData(content), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            Metadata = new Dictionary<string, string> { ["sha256"] = sha },
        }, cancellationToken);
        return new StoredBlob(blobName, content.LongLength, sha);
    }

    public async Task DeleteAsync(string blobName, CancellationToken cancellationToken) =>
        await storage.Documents.GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    public async Task<Stream> OpenAsync(string blobName, CancellationToken cancellationToken) =>
        await storage.Documents.GetBlobClient(blobName).OpenReadAsync(cancellationToken: cancellationToken);
}

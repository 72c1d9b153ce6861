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

    /// <summary>
    /// Writes an upload under a name nobody has used (never overwriting, so two uploads racing for one version
    /// cannot both win), or finds the same bytes already there (a retry of this upload
    /// whose first attempt stored them before its answer was lost). Null when other bytes hold the name;
    /// <c>Wrote</c> says whether this call stored them, so only the writer removes them again.
    /// </summary>
    public async Task<(StoredBlob? Blob, bool Wrote)> TryWriteAsync(string blobName, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var blob = storage.Documents.GetBlobClient(blobName);
        try
        {
            await blob.UploadAsync(new BinaryData(content), new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = new Dictionary<string, string> { ["sha256"] = sha },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken);
            return (new StoredBlob(blobName, content.LongLength, sha), true);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            var existing = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            var same = existing.ContentLength == content.LongLength && existing.Metadata.TryGetValue("sha256", out var stored) && stored == sha;
            return (same ? new StoredBlob(blobName, content.LongLength, sha) : null, false);
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

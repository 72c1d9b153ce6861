using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Blobs.Models;
using Partnership.Functions.Infrastructure;

namespace Partnership.Functions.Papers;

/// <summary>A paper made for a meeting: what it is, for when, when and by whom it was made.</summary>
public sealed record StoredPaper(string Id, PaperKind Kind, DateOnly Meeting, DateTimeOffset MadeAt, string MadeBy)
{
    public string Title => Kind == PaperKind.Budget ? "Partnership Budget" : "Progress report";

    public string FileName => $"{(Kind == PaperKind.Budget ? "partnership-budget" : "progress-report")}-{Meeting:yyyy-MM-dd}.docx";
}

/// <summary>
/// Board papers in Blob Storage beside the bids' documents: <c>papers/{id}/paper.docx</c>, described by its metadata,
/// and <c>papers/{id}/figures.json</c>, the figures it was made from, so a paper can be checked against its data
/// after the data has moved on.
/// </summary>
public sealed class PaperStore(Storage storage)
{
    private const string Prefix = "papers/";

    private static readonly JsonSerializerOptions FiguresJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task SaveAsync(StoredPaper paper, byte[] document, object figures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paper);
        ArgumentNullException.ThrowIfNull(figures);
        await storage.Documents.GetBlobClient($"{Prefix}{paper.Id}/figures.json").UploadAsync(
            new BinaryData(JsonSerializer.SerializeToUtf8Bytes(figures, figures.GetType(), FiguresJson)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);

        // The paper is written last: a paper listed always has its figures beside it.
        await storage.Documents.GetBlobClient($"{Prefix}{paper.Id}/paper.docx").UploadAsync(new BinaryData(document), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = PaperDocument.ContentType },
            Metadata = new Dictionary<string, string>
            {
                ["kind"] = paper.Kind.ToString(),
                ["meeting"] = paper.Meeting.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["madeAt"] = paper.MadeAt.ToString("O", CultureInfo.InvariantCulture),
                ["madeBy"] = paper.MadeBy,
            },
        }, cancellationToken);
    }

    /// <summary>Every paper made, the latest meeting first and, for one meeting, the latest made first.</summary>
    public async Task<IReadOnlyList<StoredPaper>> ListAsync(CancellationToken cancellationToken)
    {
        var papers = new List<StoredPaper>();
        await foreach (var blob in storage.Documents.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix, Traits = BlobTraits.Metadata }, cancellationToken))
        {
            if (blob.Name.EndsWith("/paper.docx", StringComparison.Ordinal) && Read(blob.Name[Prefix.Length..^"/paper.docx".Length], blob.Metadata) is { } paper)
            {
                papers.Add(paper);
            }
        }

        return [.. papers.OrderByDescending(p => p.Meeting).ThenByDescending(p => p.MadeAt)];
    }

    public async Task<StoredPaper?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var blob = storage.Documents.GetBlobClient($"{Prefix}{id}/paper.docx");
        try
        {
            return Read(id, (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.Metadata);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<Stream> OpenAsync(string id, bool figures, CancellationToken cancellationToken) =>
        await storage.Documents.GetBlobClient($"{Prefix}{id}/{(figures ? "figures.json" : "paper.docx")}").OpenReadAsync(cancellationToken: cancellationToken);

    private static StoredPaper? Read(string id, IDictionary<string, string> metadata) =>
        metadata.TryGetValue("kind", out var kind) && Enum.TryParse<PaperKind>(kind, out var paperKind)
        && metadata.TryGetValue("meeting", out var meeting) && DateOnly.TryParseExact(meeting, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var meetingDate)
        && metadata.TryGetValue("madeAt", out var madeAt) && DateTimeOffset.TryParse(madeAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var made)
            ? new StoredPaper(id, paperKind, meetingDate, made, metadata.TryGetValue("madeBy", out var by) ? by : "")
            : null;
}

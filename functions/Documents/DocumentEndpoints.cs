using System.Security.Claims;
using Microsoft.Extensions.Options;
using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Documents;

public sealed record DocumentSummary(string DocumentId, DocumentKind Kind, int LatestVersion, IReadOnlyList<DocumentVersion> Versions);

public static class DocumentEndpoints
{
    public static IEndpointRouteBuilder MapDocuments(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var uploadLimit = app.ServiceProvider.GetRequiredService<IOptions<StorageOptions>>().Value.MaxDocumentBytes + BodyLimit.Json;
        var documents = app.MapGroup("/api/bids/{bidId}/documents").WithTags("Documents");

        var readers = documents.MapGroup("").RequireRoles(RoleGroups.BidReaders);
        readers.MapGet("", ListAsync).WithName("ListDocuments");
        readers.MapGet("/{documentId}/content", DownloadAsync).WithName("DownloadDocument");

        var writers = documents.MapGroup("").RequireRolesOf(typeof(AttachDocument)).DisableAntiforgery();
        writers.MapPost("", (string bidId, IFormFile? file, [Microsoft.AspNetCore.Mvc.FromForm] string? kind, HttpContext http, DocumentUploads uploads, CancellationToken ct) =>
            uploads.UploadAsync(http, bidId, null, file, kind, ct)).WithName("UploadDocument").WithBodyLimit(uploadLimit);
        writers.MapPost("/{documentId}/versions", (string bidId, string documentId, IFormFile? file, HttpContext http, DocumentUploads uploads, CancellationToken ct) =>
            uploads.UploadAsync(http, bidId, documentId, file, null, ct)).WithName("UploadDocumentVersion").WithBodyLimit(uploadLimit);
        return app;
    }

    private static async Task<IResult> ListAsync(string bidId, ClaimsPrincipal user, BidRepository repository, CancellationToken ct)
    {
        var snapshot = await repository.LoadReadableAsync(bidId, user.Actor(), ct);
        if (snapshot is null)
        {
            return Problems.NoSuchBid();
        }

        return TypedResults.Ok(snapshot.State.Documents
            .GroupBy(d => d.DocumentId)
            .Select(g => new DocumentSummary(g.Key, g.First().Kind, g.Max(d => d.Version), [.. g.OrderBy(d => d.Version)]))
            .ToList());
    }

    private static async Task<IResult> DownloadAsync(string bidId, string documentId, int? version, ClaimsPrincipal user, BidRepository repository, DocumentStore store, CancellationToken ct)
    {
        var snapshot = await repository.LoadReadableAsync(bidId, user.Actor(), ct);
        if (snapshot is null)
        {
            return Problems.NoSuchBid();
        }

        var document = version is { } v
            ? snapshot.State.Documents.FirstOrDefault(d => d.DocumentId == documentId && d.Version == v)
            : snapshot.State.LatestVersionOf(documentId);
        if (document is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such document.", detail: "This bid has no document (or version) with that id.");
        }

        return Download(await store.OpenAsync(document.BlobName, ct), document);
    }

    /// <summary>
    /// A stored document as a download: always an attachment under a name reduced to safe characters, its type as
    /// recognised when it was uploaded, and a policy that lets nothing in it run should a browser open it anyway
    /// (nosniff is on every response already, from the request guards).
    /// </summary>
    public static IResult Download(Stream content, DocumentVersion document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var type = FileTypes.Allowed.FirstOrDefault(t => t.ContentType == document.ContentType);
        return new DownloadResult(content, type?.ContentType ?? "application/octet-stream", DocumentUploads.SafeFileName(document.FileName, type));
    }

    private sealed class DownloadResult(Stream content, string contentType, string fileName) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            var headers = httpContext.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            headers.CacheControl = "private, no-store";
            return TypedResults.Stream(content, contentType, fileName).ExecuteAsync(httpContext);
        }
    }
}

/// <summary>
/// Takes an upload through every check before anything is stored (size, type from the bytes, name agreeing with
/// the type), writes the blob as a new version, then records it on the bid with a command; a refused command
/// removes the blob again.
/// </summary>
public sealed class DocumentUploads(DocumentStore store, BidRepository repository, BidCommandService commands, IOptions<StorageOptions> options, TimeProvider clock)
{
    /// <summary>The API's upload: the outcome as a created document or a problem.</summary>
    public async Task<IResult> UploadAsync(HttpContext http, string bidId, string? documentId, IFormFile? file, string? kind, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var key = Problems.IdempotencyKey(http, out var missingKey);
        if (key is null)
        {
            return missingKey!;
        }

        return await AttachAsync(http.User.Actor(), bidId, documentId, file, kind, key, ct) switch
        {
            UploadAccepted accepted => TypedResults.Created($"/api/bids/{bidId}/documents/{accepted.Document.DocumentId}/content?version={accepted.Document.Version}", accepted.Document),
            UploadAnswered answered => Problems.From(answered.Result, Problems.CommandStatusUrl(bidId, key)),
            UploadRefused { Field: { } field } refused => Problems.Field(field, refused.Message),
            UploadRefused refused => TypedResults.Problem(statusCode: refused.Status, title: refused.Title, detail: refused.Message),
            _ => throw new InvalidOperationException("Unknown upload outcome."),
        };
    }

    /// <summary>Checks the file (size, contents, name) and attaches it to the bid as a new document or the next version of one.</summary>
    public async Task<UploadOutcome> AttachAsync(Actor actor, string bidId, string? documentId, IFormFile? file, string? kind, string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (file is null || file.Length == 0)
        {
            return new UploadRefused(400, "file", "The request has mistakes.", "Choose a file to upload.");
        }

        var limit = options.Value.MaxDocumentBytes;
        if (file.Length > limit)
        {
            return new UploadRefused(413, null, "The file is too large.", $"Files can be up to {limit / (1024 * 1024)} MB; this one is {file.Length / (1024.0 * 1024):0.0} MB.");
        }

        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, ct);
        }

        // The request, not the command (whose blob name and time differ on a retry), is what a reused key must match.
        var fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"upload|{documentId}|{kind}|{file.FileName}|{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content))}")));
        if (await commands.FindAnswerAsync(bidId, actor, key, fingerprint, ct) is { } answered)
        {
            return new UploadAnswered(answered);
        }

        var snapshot = await repository.LoadReadableAsync(bidId, actor, ct);
        if (snapshot is null)
        {
            return new UploadRefused(404, null, "No such bid.", "There is no bid with this id that you can read.");
        }

        DocumentKind documentKind;
        int version;
        if (documentId is null)
        {
            if (!RequestRules.TryParseName(kind, out documentKind) || documentKind == DocumentKind.GrantAgreement)
            {
                return new UploadRefused(400, "kind", "The request has mistakes.", "Say what the document is: BusinessCase, Budget, Constitution, Accounts, SignedContract, Evidence or Other.");
            }

            documentId = $"doc-{BidCommandService.NewBidId(actor.UserId, key)[..16]}";
            version = 1;
        }
        else
        {
            var latest = snapshot.State.LatestVersionOf(documentId);
            if (latest is null)
            {
                return new UploadRefused(404, null, "No such document.", "This bid has no document with that id.");
            }

            if (latest.Kind == DocumentKind.GrantAgreement && actor.Role == Role.Applicant)
            {
                return new UploadRefused(403, null, "You cannot replace this document.", "The grant agreement is made by the system; upload the signed copy as a new SignedContract document.");
            }

            documentKind = latest.Kind;
            version = latest.Version + 1;
        }

        var type = FileTypes.Recognise(content, out var refusal);
        if (type is null)
        {
            return new UploadRefused(415, null, "This kind of file is not accepted.",
                refusal ?? $"Upload a {string.Join(", ", FileTypes.Allowed.Select(t => t.Name))}. The file's contents are checked, not just its name.");
        }

        var extension = Path.GetExtension(file.FileName).ToLowerInvariant();
        if (!type.Extensions.Contains(extension))
        {
            return new UploadRefused(400, "file", "The request has mistakes.", $"The file's contents are a {type.Name} but its name ends '{extension}'. Rename it to end {type.Extensions[0]}.");
        }

        var fileName = SafeFileName(file.FileName, type);
        var (blob, wrote) = await store.TryWriteAsync(DocumentStore.BlobNameFor(bidId, documentId, version, fileName), content, type.ContentType, ct);
        if (blob is null)
        {
            return new UploadRefused(409, null, "Another upload got there first.", $"Version {version} of this document was uploaded at the same moment. Check the documents and upload again if you still need to.");
        }

        var document = new DocumentVersion(documentId, version, documentKind, fileName, type.ContentType, blob.Size, blob.Sha256, blob.BlobName, actor.UserId, clock.GetUtcNow());
        var result = await commands.ExecuteAsync(bidId, new AttachDocument(actor, document), key, ct, fingerprint);
        if (result.Outcome != CommandOutcome.Accepted)
        {
            // A pending command may still attach the blob, so it stays; a refused one never will.
            if (wrote && result.Outcome != CommandOutcome.Pending)
            {
                await store.DeleteAsync(blob.BlobName, ct);
            }

            return new UploadAnswered(result);
        }

        return new UploadAccepted(document);
    }

    /// <summary>Keeps letters, digits and a few separators so the name is safe as a blob path and a download header.</summary>
    internal static string SafeFileName(string name, FileType? type)
    {
        var stem = new string([.. Path.GetFileNameWithoutExtension(name).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]).Trim('-', '.');
        return (stem.Length == 0 ? "document" : stem[..Math.Min(stem.Length, 100)]) + Path.GetExtension(name).ToLowerInvariant() switch
        {
            var e when type is not null && type.Extensions.Contains(e) => e,
            _ => type?.Extensions[0] ?? ".bin",
        };
    }
}

/// <summary>What an upload came to: the document attached, the bid's answer to it, or why the file was refused.</summary>
public abstract record UploadOutcome;

public sealed record UploadAccepted(DocumentVersion Document) : UploadOutcome;

public sealed record UploadAnswered(CommandResult Result) : UploadOutcome;

/// <summary>A file refused before the bid saw it: the status the API answers, and the field it concerns if any.</summary>
public sealed record UploadRefused(int Status, string? Field, string Title, string Message) : UploadOutcome;

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Partnership.Functions.Documents;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Tests.Support;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

public class DocumentTests(AzuriteFixture azurite)
{
    [Fact]
    public void Types_are_recognised_from_the_bytes_not_the_name()
    {
        Assert.Equal(FileTypes.Pdf, FileTypes.Recognise(Pdf));
        Assert.Equal(FileTypes.Docx, FileTypes.Recognise(SampleFiles.Docx("Business case")));
        Assert.Equal(FileTypes.Xlsx, FileTypes.Recognise(SampleFiles.Xlsx()));
        Assert.Equal(FileTypes.Odt, FileTypes.Recognise(SampleFiles.Odt()));
        Assert.Equal(FileTypes.Png, FileTypes.Recognise(SampleFiles.Png));
        Assert.Equal(FileTypes.Jpeg, FileTypes.Recognise(SampleFiles.Jpeg));
        Assert.Null(FileTypes.Recognise(SampleFiles.PlainZip()));
        Assert.Null(FileTypes.Recognise("MZ\u0090\u0000 an executable"u8));
        Assert.Null(FileTypes.Recognise("Business case, in plain text"u8));
        Assert.Null(FileTypes.Recognise("PK\u0003\u0004 truncated"u8));
    }

    [Fact]
    public async Task Uploads_are_checked_versioned_hashed_and_served_only_to_readers()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var applicant = app.ClientFor("applicant-kca");
        var bidId = await StartAsync(applicant);

        var first = SampleFiles.Docx("Version one");
        var created = await UploadAsync(applicant, bidId, "BusinessCase", first, "Business Case (final).docx");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var document = await created.Content.ReadFromJsonAsync<JsonElement>();
        var documentId = document.GetProperty("documentId").GetString()!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(first)), document.GetProperty("sha256").GetString());
        Assert.Equal("Business-Case--final.docx", document.GetProperty("fileName").GetString());

        var second = SampleFiles.Docx("Version two, with the budget corrected");
        var again = await UploadAsync(applicant, bidId, "BusinessCase", second, "business-case.docx", documentId);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(2, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());

        var listed = await applicant.GetFromJsonAsync<JsonElement>($"/api/bids/{bidId}/documents");
        var entry = Assert.Single(listed.EnumerateArray());
        Assert.Equal(2, entry.GetProperty("latestVersion").GetInt32());

        var latest = await app.ClientFor("auditor").GetAsync($"/api/bids/{bidId}/documents/{documentId}/content");
        Assert.Equal(second, await latest.Content.ReadAsByteArrayAsync());
        Assert.Equal(FileTypes.Docx.ContentType, latest.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", latest.Content.Headers.ContentDisposition?.DispositionType);
        var original = await applicant.GetAsync($"/api/bids/{bidId}/documents/{documentId}/content?version=1");
        Assert.Equal(first, await original.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor("applicant-other").GetAsync($"/api/bids/{bidId}/documents/{documentId}/content")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor("applicant-other").GetAsync($"/api/bids/{bidId}/documents")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(app.ClientFor("applicant-other"), bidId, "Budget", Pdf, "budget.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.ClientFor(null).GetAsync($"/api/bids/{bidId}/documents/{documentId}/content")).StatusCode);
    }

    [Fact]
    public async Task Bad_uploads_are_refused_with_a_reason_and_store_nothing()
    {
        await using var app = new AppFactory(azurite, settings: new Dictionary<string, string> { ["Storage:MaxDocumentBytes"] = "4096" });
        await app.SeedAsync();
        var applicant = app.ClientFor("applicant-kca");
        var bidId = await StartAsync(applicant);

        var disguised = await UploadAsync(applicant, bidId, "Budget", Pdf, "budget.docx");
        Assert.Equal(HttpStatusCode.BadRequest, disguised.StatusCode);
        Assert.Contains("PDF", await disguised.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var text = await UploadAsync(applicant, bidId, "Budget", Encoding.UTF8.GetBytes("revenue,capital\n100,0"), "budget.csv");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal("application/problem+json", text.Content.Headers.ContentType?.MediaType);

        var large = await UploadAsync(applicant, bidId, "Budget", [.. Pdf, .. new byte[5000]], "budget.pdf");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);

        var noKind = await UploadAsync(applicant, bidId, "Spreadsheet", Pdf, "budget.pdf");
        Assert.Equal(HttpStatusCode.BadRequest, noKind.StatusCode);

        await UploadOkAsync(applicant, bidId, "BusinessCase");
        await applicant.CommandAsync($"/api/bids/{bidId}/submit").Ok();
        var tooLate = await UploadAsync(applicant, bidId, "Budget", Pdf, "budget.pdf");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLate.StatusCode);

        var blobs = new List<string>();
        await foreach (var blob in app.Get<Storage>().Documents.GetBlobsAsync())
        {
            blobs.Add(blob.Name);
        }

        Assert.Single(blobs);
        Assert.Single((await StateAsync(app, bidId)).Documents);
    }

    [Fact]
    public async Task A_retried_upload_is_recorded_once()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var applicant = app.ClientFor("applicant-kca");
        var bidId = await StartAsync(applicant);
        var first = await UploadAsync(applicant, bidId, "Budget", Pdf, "budget.pdf", key: "upload-1");
        var retry = await UploadAsync(applicant, bidId, "Budget", Pdf, "budget.pdf", key: "upload-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.True(retry.IsSuccessStatusCode, await retry.Content.ReadAsStringAsync());
        Assert.Single((await StateAsync(app, bidId)).Documents);
    }

    [Fact]
    public async Task An_upload_sent_again_after_its_file_was_stored_but_its_answer_lost_attaches_that_file_once()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var applicant = app.ClientFor("applicant-kca");
        var bidId = await StartAsync(applicant);

        // The first attempt stored the file under the name its key gives, then storage stopped answering.
        var documentId = $"doc-{Workflow.BidCommandService.NewBidId("applicant-kca", "upload-lost")[..16]}";
        var (stored, wrote) = await app.Get<DocumentStore>().TryWriteAsync(DocumentStore.BlobNameFor(bidId, documentId, 1, "budget.pdf"), Pdf, FileTypes.Pdf.ContentType, CancellationToken.None);
        Assert.True(wrote);

        var retry = await UploadAsync(applicant, bidId, "Budget", Pdf, "budget.pdf", key: "upload-lost");
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var document = Assert.Single((await StateAsync(app, bidId)).Documents);
        Assert.Equal((documentId, stored!.BlobName, stored.Sha256), (document.DocumentId, document.BlobName, document.Sha256));
    }
}

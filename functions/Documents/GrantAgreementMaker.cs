using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Partnership.Functions.Organisations;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Documents;

/// <summary>
/// Makes the grant agreement (a Word document) when the Board approves, stores it, and asks the bid to attach it.
/// Its document id comes from the effect, so a retried effect writes the same blob.
/// </summary>
public sealed class GrantAgreementMaker(DocumentStore documents, OrganisationStore organisations, TimeProvider clock) : EffectHandler<MakeDocument>
{
    private static readonly CultureInfo British = CultureInfo.GetCultureInfo("en-GB");

    protected override async Task<FollowUp?> HandleAsync(BidState bid, string effectId, MakeDocument effect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bid);
        if (effect.Kind != DocumentKind.GrantAgreement)
        {
            throw new PermanentEffectException($"Documents of kind {effect.Kind} are not made by the app.");
        }

        var organisation = await organisations.FindAsync(bid.OrganisationId, cancellationToken);
        var content = Write(bid, organisation?.Name ?? bid.OrganisationId);
        var documentId = $"grant-agreement-{effectId}";
        const string fileName = "grant-agreement.docx";
        var blob = await documents.WriteGeneratedAsync(DocumentStore.BlobNameFor(bid.BidId, documentId, 1, fileName), content, FileTypes.Docx.ContentType, cancellationToken);
        var version = new DocumentVersion(documentId, 1, DocumentKind.GrantAgreement, fileName, FileTypes.Docx.ContentType, blob.Size, blob.Sha256, blob.BlobName, Actor.System.UserId, clock.GetUtcNow());
        return new FollowUp(new AttachDocument(Actor.System, version));
    }

    internal static byte[] Write(BidState bid, string organisationName)
    {
        var amount = bid.ApprovedAmount ?? Funding.Zero;
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body(
                Paragraph("Grant agreement", bold: true),
                Paragraph($"Between the Partnership and {organisationName}"),
                Paragraph($"Project: {bid.Proposal.Title}"),
                Paragraph($"Grant: {Money.Pounds(amount.Total)} ({Money.Pounds(amount.Revenue)} revenue, {Money.Pounds(amount.Capital)} capital)"),
                Paragraph($"Grant period: {bid.Proposal.GrantStart.ToString("d MMMM yyyy", British)} to {bid.Proposal.GrantEnd.ToString("d MMMM yyyy", British)}"),
                Paragraph("Quarterly monitoring returns are due on the 17th of the month after each quarter ends."));
            if (bid.Recommendation?.Conditions is { } hce)
            {
                body.Append(Paragraph($"Conditions recommended by HCE: {hce}"));
            }

            if (bid.BoardConditions is { } board)
            {
                body.Append(Paragraph($"Conditions set by the Partnership Board: {board}"));
            }

            body.Append(Paragraph("Signed for the organisation: ______________________   Date: __________"));
            main.Document = new Document(body);
        }

        return stream.ToArray();
    }

    private static Paragraph Paragraph(string text, bool bold = false)
    {
        var run = new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
        if (bold)
        {
            run.PrependChild(new RunProperties(new Bold()));
        }

        return new Paragraph(run);
    }
}

using Microsoft.AspNetCore.Mvc;
using Partnership.Functions.Documents;
using Partnership.Functions.Pages.Components;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Bids;

/// <summary>
/// Uploading a bid's documents with the same checks as the API (size, contents, name): supporting documents while
/// drafting, the signed contract once the contract is sent, evidence with a return.
/// </summary>
public sealed class DocumentsModel(BidRepository repository, BidCommandService commands, DocumentUploads uploads, Microsoft.Extensions.Options.IOptions<Infrastructure.StorageOptions> storage) : BidPageModel(repository, commands)
{
    public string FileHint => $"A {string.Join(", ", FileTypes.Allowed.Select(t => t.Name))} file, up to {storage.Value.MaxDocumentBytes / (1024 * 1024)} MB.";

    public static readonly DocumentKind[] Kinds = [DocumentKind.BusinessCase, DocumentKind.Budget, DocumentKind.Constitution, DocumentKind.Accounts, DocumentKind.SignedContract, DocumentKind.Evidence, DocumentKind.Other];

    [BindProperty]
    public string? Kind { get; set; }

    /// <summary>What this person may upload at this stage; the workflow decides, and refuses anything else in words.</summary>
    public IReadOnlyList<DocumentKind> Offered => Bid.Stage == BidStage.Contracting && Actor.Role == Role.Applicant
        ? [DocumentKind.SignedContract, DocumentKind.Other]
        : Bid.Stage == BidStage.Monitoring ? [DocumentKind.Evidence, DocumentKind.Other] : [.. Kinds.Where(k => k != DocumentKind.SignedContract)];

    public async Task<IActionResult> OnGetAsync(string? kind, CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        Kind = kind;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        ModelState.Clear();
        if (!Enum.TryParse<DocumentKind>(Kind, out var kind) || !Offered.Contains(kind))
        {
            ModelState.AddModelError("kind", "Choose what the document is.");
            return Invalid();
        }

        var outcome = await uploads.AttachAsync(Actor, BidId, null, file, kind.ToString(), $"page:{Attempt}", ct);
        switch (outcome)
        {
            case UploadAccepted signed when kind == DocumentKind.SignedContract:
                return await RunAsync(new ReturnSignedContract(Actor, signed.Document.DocumentId), "file", ct, step: ":returned") ? Redirect($"/bids/{BidId}?done=signed") : Invalid();
            case UploadAccepted:
                return Redirect($"/bids/{BidId}/documents?uploaded=true");
            case UploadRefused refused:
                Attempt = Guid.NewGuid().ToString("N");
                ModelState.AddModelError("file", refused.Message);
                Response.StatusCode = refused.Status;
                return Page();
            default:
                Attempt = Guid.NewGuid().ToString("N");
                ModelState.AddModelError("file", ((UploadAnswered)outcome).Result.Reason ?? "The bid could not take this document.");
                return Invalid();
        }
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Components;

/// <summary>
/// A page about one bid: it loads the bid as the signed-in person may read it (a 404 otherwise) and gives the bid
/// commands, each under the attempt key the form was rendered with, so a form sent twice is applied once.
/// </summary>
public abstract class BidPageModel(BidRepository repository, BidCommandService commands) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string BidId { get; set; } = "";

    /// <summary>Rendered into each form; the idempotency key of the command its POST gives.</summary>
    [BindProperty]
    public string? Attempt { get; set; }

    public BidState Bid { get; private set; } = null!;

    public Actor Actor => User.Actor();

    public bool WritesCase => Bid.DefinitionVersion >= BidWorkflowDefinition.WrittenCaseVersion;

    public BusinessCase Case => Bid.Proposal.Case ?? new BusinessCase();

    /// <summary>Each document's latest version, in the order they were last uploaded.</summary>
    public IReadOnlyList<DocumentVersion> LatestDocuments =>
        [.. Bid.Documents.GroupBy(d => d.DocumentId).Select(g => g.MaxBy(d => d.Version)!).OrderBy(d => d.UploadedAt)];

    /// <summary>Whether the applicant holds the pen: drafting, or answering a request for changes.</summary>
    public bool Editable => Actor.Role == Role.Applicant && Bid.Stage is BidStage.Draft or BidStage.ChangesRequested;

    /// <summary>
    /// Someone who acts for several organisations and opens a bid of another of theirs (from an email, say) is asked to
    /// act for that one, and brought back, rather than told there is no such bid.
    /// </summary>
    [NonHandler]
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var memberships = User.Memberships();
        if (memberships.Count > 1 && HttpMethods.IsGet(Request.Method)
            && await repository.LoadAsync(BidId, HttpContext.RequestAborted) is { State.OrganisationId: var owner }
            && owner != Actor.OrganisationId && memberships.Contains(owner))
        {
            context.Result = LocalRedirect(Organisations.ChooseModel.For(owner, Request.Path + Request.QueryString));
            return;
        }

        await next();
    }

    protected async Task<bool> LoadAsync(CancellationToken ct)
    {
        var snapshot = await repository.LoadReadableAsync(BidId, Actor, ct);
        if (snapshot is null)
        {
            return false;
        }

        Bid = snapshot.State;
        if (HttpMethods.IsGet(Request.Method) || string.IsNullOrEmpty(Attempt))
        {
            Attempt = Guid.NewGuid().ToString("N");
        }

        return true;
    }

    /// <summary>
    /// Gives the command; on anything but acceptance the reason goes in the error summary under <paramref name="field"/>.
    /// A form that gives two commands names the second <paramref name="step"/>, so each has a key of its own.
    /// </summary>
    protected async Task<bool> RunAsync(BidCommand command, string field, CancellationToken ct, string step = "")
    {
        ArgumentNullException.ThrowIfNull(command);
        var result = await commands.ExecuteAsync(BidId, command, $"page:{Attempt}{step}", ct);
        if (result.Outcome == CommandOutcome.Accepted)
        {
            return true;
        }

        // The corrected form is a new attempt: the key of this one stays with its answer.
        Attempt = Guid.NewGuid().ToString("N");
        ModelState.AddModelError(field, result.Outcome switch
        {
            CommandOutcome.Pending => "The bid is still taking this in. Wait a moment, then open the bid again to see it.",
            CommandOutcome.KeyReused => "This form was sent before with different answers. Check the answers and send it again.",
            _ => result.Reason ?? "The bid could not take this.",
        });
        return false;
    }

    protected IActionResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}

using Microsoft.AspNetCore.Mvc;
using Partnership.Functions.Bids;
using Partnership.Functions.Funds;
using Partnership.Functions.Organisations;
using Partnership.Functions.Pages.Components;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Bids;

/// <summary>
/// One bid as its reader may see it: for the applicant holding the pen, the task list of its business case; for
/// everyone, where it stands, its documents and its timeline; for a coordinator, every action the bid can take now.
/// </summary>
public sealed class BidModel(BidRepository repository, BidCommandService commands, OrganisationStore organisations, FundStore funds) : BidPageModel(repository, commands)
{
    private readonly BidRepository _repository = repository;

    public string Organisation { get; private set; } = "";

    public string FundName { get; private set; } = "";

    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];

    /// <summary>The coordinator's request for changes: the overall reason and a comment per section.</summary>
    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public Dictionary<string, string>? SectionComments { get; set; }

    [BindProperty]
    public string? ReturnReason { get; set; }

    [BindProperty]
    public string? VariationReason { get; set; }

    public bool MayAct(Type command) => BidWorkflowDefinition.ForVersion(Bid.DefinitionVersion).Transitions
        .Any(t => t.Command == command && t.From.Contains(Bid.Stage) && t.Roles.Contains(Actor.Role));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? await ShowAsync(ct) : NotFound();

    public async Task<IActionResult> OnPostRequestChangesAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        if (string.IsNullOrWhiteSpace(Reason))
        {
            ModelState.AddModelError("reason", "Say what the applicant needs to change.");
            return await ShowAsync(ct, StatusCodes.Status400BadRequest);
        }

        var sections = (SectionComments ?? [])
            .Where(c => CaseSections.TryParse(c.Key, out _) && !string.IsNullOrWhiteSpace(c.Value))
            .ToDictionary(c => Enum.Parse<CaseSection>(c.Key, ignoreCase: true), c => c.Value);
        var command = new RequestChanges(Actor, Reason) { Sections = System.Collections.Immutable.ImmutableDictionary.CreateRange(sections) };
        return await RunAsync(command, "reason", ct) ? Redirect($"/bids/{BidId}?done=changes") : await ShowAsync(ct, StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>Finance raises the purchase order once the signed contract is accepted.</summary>
    public async Task<IActionResult> OnPostPurchaseOrderAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        var number = Reference("number", "the purchase order number", errors);
        var supplier = Reference("supplierReference", "the supplier reference", errors);
        var raised = DateField.Read(Request.Form, "raisedOn", "The date raised", errors, out _, "Date raised");
        if (raised is null)
        {
            errors.TryAdd("raisedOn", ["Enter the date the purchase order was raised."]);
        }

        ModelState.AddAll(errors);
        if (errors.Count > 0)
        {
            return await ShowAsync(ct, StatusCodes.Status400BadRequest);
        }

        return await RunAsync(new RecordPurchaseOrder(Actor, number, raised!.Value, supplier), "number", ct)
            ? Redirect($"/bids/{BidId}?done=purchase-order")
            : await ShowAsync(ct, StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>Finance records an instalment paid, for its whole amount.</summary>
    public async Task<IActionResult> OnPostPaymentAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        var reference = Reference("reference", "the payment reference", errors);
        var paidOn = DateField.Read(Request.Form, "paidOn", "The date paid", errors, out _, "Date paid");
        var instalment = int.TryParse(Request.Form["instalment"], out var number) ? Bid.Instalments.FirstOrDefault(i => i.Number == number) : null;
        if (instalment is null)
        {
            errors["instalment"] = ["Choose the instalment paid."];
        }

        if (paidOn is null)
        {
            errors.TryAdd("paidOn", ["Enter the date it was paid."]);
        }

        ModelState.AddAll(errors);
        if (errors.Count > 0)
        {
            return await ShowAsync(ct, StatusCodes.Status400BadRequest);
        }

        return await RunAsync(new RecordPayment(Actor, instalment!.Number, instalment.Amount, paidOn!.Value, reference), "instalment", ct)
            ? Redirect($"/bids/{BidId}?done=payment")
            : await ShowAsync(ct, StatusCodes.Status422UnprocessableEntity);
    }

    public async Task<IActionResult> OnPostAcceptReturnAsync(string quarter, CancellationToken ct) => await ActAsync(new AcceptReturn(Actor, quarter), "return-accepted", ct);

    public async Task<IActionResult> OnPostSendBackReturnAsync(string quarter, CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        if (string.IsNullOrWhiteSpace(ReturnReason))
        {
            ModelState.AddModelError("returnReason", "Say what the applicant needs to change in the return.");
            return await ShowAsync(ct, StatusCodes.Status400BadRequest);
        }

        return await RunAsync(new SendBackReturn(Actor, quarter, ReturnReason), "returnReason", ct) ? Redirect($"/bids/{BidId}?done=return-sent-back") : await ShowAsync(ct, StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>HCE agrees or declines the variation the coordinator proposed; a decline says why.</summary>
    public async Task<IActionResult> OnPostDecideVariationAsync(bool agree, CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        if (!agree && string.IsNullOrWhiteSpace(VariationReason))
        {
            ModelState.AddModelError("variationReason", "Say why HCE declines the variation.");
            return await ShowAsync(ct, StatusCodes.Status400BadRequest);
        }

        return await RunAsync(new DecideVariation(Actor, agree, string.IsNullOrWhiteSpace(VariationReason) ? null : VariationReason.Trim()), "variationReason", ct)
            ? Redirect($"/bids/{BidId}?done={(agree ? "variation-agreed" : "variation-declined")}")
            : await ShowAsync(ct, StatusCodes.Status422UnprocessableEntity);
    }

    public async Task<IActionResult> OnPostStartClosingAsync(CancellationToken ct) => await ActAsync(new StartClosing(Actor), "closing", ct);

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken ct) => await ActAsync(new CloseBid(Actor), "closed", ct);

    public async Task<IActionResult> OnPostReferAsync(CancellationToken ct) => await ActAsync(new ReferToHce(Actor), "referred", ct);

    public async Task<IActionResult> OnPostSendContractAsync(CancellationToken ct) => await ActAsync(new SendContract(Actor), "contract-sent", ct);

    public async Task<IActionResult> OnPostAcceptContractAsync(CancellationToken ct) => await ActAsync(new AcceptSignedContract(Actor), "contract-accepted", ct);

    /// <summary>A reference finance keys in (an order number, a supplier's or a payment's), required and short.</summary>
    private string Reference(string field, string what, Dictionary<string, string[]> errors)
    {
        var text = Request.Form[field].ToString().Trim();
        if (text.Length is 0 or > 50)
        {
            errors[field] = [$"Enter {what}, up to 50 characters."];
        }

        return text;
    }

    private async Task<IActionResult> ActAsync(BidCommand command, string done, CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        return await RunAsync(command, "actions", ct) ? Redirect($"/bids/{BidId}?done={done}") : await ShowAsync(ct, StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>The page for the bid already loaded: its organisation, fund and timeline.</summary>
    private async Task<IActionResult> ShowAsync(CancellationToken ct, int status = StatusCodes.Status200OK)
    {
        Organisation = (await organisations.FindAsync(Bid.OrganisationId, ct))?.Name ?? Bid.OrganisationId;
        FundName = (await funds.FindAsync(Bid.FundId, ct))?.Name ?? Bid.FundId;
        var history = (await _repository.HistoryAsync(BidId, ct)).Select(h => new TimelineEntry(h.Version, h.Event.At, h.Event.By, h.Event.GetType().Name, h.StageAfter, h.Event));
        Timeline = [.. (Actor.IsStaff ? history : ApplicantView.Timeline(history, Bid, Actor)).OrderByDescending(e => e.Version)];
        Response.StatusCode = status;
        return Page();
    }
}

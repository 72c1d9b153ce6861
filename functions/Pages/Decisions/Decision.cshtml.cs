using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Bids;
using Partnership.Functions.Decisions;
using Partnership.Functions.Http;
using Partnership.Functions.Notifications;
using Partnership.Functions.Pages.Components;
using Partnership.Functions.Workflow;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Budgets;

namespace Partnership.Functions.Pages.Decisions;

/// <summary>
/// The page a decision link opens. Opening it (GET) only shows the bid, its documents and the form, because mail
/// scanners open links; only the form's POST records the decision, once, as the person the link was sent to.
/// </summary>
[AllowAnonymous]
[FramedByTeamsOnly]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(RateLimits.Links)]
public sealed class DecisionModel(DecisionContext context, BidCommandService commands) : PageModel
{
    public static readonly (string Value, string Label)[] HceOptions =
        [(nameof(RecommendationKind.Approve), "Recommend approval"), (nameof(RecommendationKind.Defer), "Defer"), (nameof(RecommendationKind.Reject), "Recommend rejection")];

    public static readonly (string Value, string Label)[] BoardOptions =
        [(nameof(BoardVerdict.Approve), "Approve the recommendation"), (nameof(BoardVerdict.Reject), "Reject the recommendation")];

    public OpenedLink Opened { get; private set; } = null!;

    public string Organisation { get; private set; } = "";

    public IReadOnlyList<BudgetLine> Lines { get; private set; } = [];

    /// <summary>Set once the POST has been answered: the decision recorded, or why the bid would not take it.</summary>
    public CommandResult? Result { get; private set; }

    [BindProperty]
    public string? Decision { get; set; }

    [BindProperty]
    public string? Revenue { get; set; }

    [BindProperty]
    public string? Capital { get; set; }

    [BindProperty]
    public string? Conditions { get; set; }

    [BindProperty(Name = "deferUntil-day")]
    public string? DeferUntilDay { get; set; }

    [BindProperty(Name = "deferUntil-month")]
    public string? DeferUntilMonth { get; set; }

    [BindProperty(Name = "deferUntil-year")]
    public string? DeferUntilYear { get; set; }

    [BindProperty]
    public string? Reasons { get; set; }

    /// <summary>A deferral's reasons: a field of their own, because each choice reveals only its own questions.</summary>
    [BindProperty]
    public string? DeferReasons { get; set; }

    [BindProperty]
    public string? BudgetLineId { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public BidState Bid => Opened.Bid!;

    public bool IsHce => Opened.Link!.Stage == BidStage.HceRecommendation;

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (await OpenAsync(token, ct) is { } refused)
        {
            return refused;
        }

        Revenue = Display.Field(Bid.Proposal.Requested.Revenue);
        Capital = Display.Field(Bid.Proposal.Requested.Capital);
        BudgetLineId = Bid.Recommendation?.BudgetLineId;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        if (await OpenAsync(token, ct) is { } refused)
        {
            return refused;
        }

        var command = ReadCommand();
        if (command is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Result = await commands.ExecuteAsync(Bid.BidId, command, BidCommandService.AttemptKey(Opened.UseKey, command), ct);
        if (Result.Outcome == CommandOutcome.Accepted)
        {
            await commands.RecordUseAsync(Bid.BidId, Opened.Actor!, Opened.UseKey, Result, ct);
        }
        else
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return Page();
    }

    private async Task<IActionResult?> OpenAsync(string token, CancellationToken ct)
    {
        Opened = await context.OpenAsync(token, User, ct);
        if (Opened.Refusal is { } refusal)
        {
            Response.StatusCode = refusal.Status;
            return Page();
        }

        Organisation = await context.OrganisationNameAsync(Bid.OrganisationId, ct);
        Lines = await context.LinesAsync(Bid.FundId, ct);

        return null;
    }

    private BidCommand? ReadCommand()
    {
        var parsing = new Dictionary<string, string[]>();
        decimal? Amount(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (MoneyText.TryParse(text, out var amount, NumberStyles.Number))
            {
                return amount;
            }

            parsing[field] = ["Enter an amount in pounds and pence, like 50903.27."];
            return null;
        }

        BidCommand? command;
        Dictionary<string, string[]> errors;
        if (IsHce)
        {
            var until = DateField.Read(DeferUntilDay, DeferUntilMonth, DeferUntilYear, nameof(HceRecommendationRequest.DeferUntil), "The date to defer to", parsing);
            var chosen = RequestRules.TryParseName<RecommendationKind>(Decision, out var kind) ? kind : (RecommendationKind?)null;
            var deferring = chosen == RecommendationKind.Defer;
            var request = new HceRecommendationRequest(
                chosen, Amount(Revenue, nameof(Revenue)), Amount(Capital, nameof(Capital)), Blank(Conditions), until, Blank(deferring ? DeferReasons : Reasons), Blank(BudgetLineId));
            command = request.ToCommand(Opened.Actor!, out errors);
            if (deferring && errors.Remove(nameof(Reasons), out var why))
            {
                errors[nameof(DeferReasons)] = why;
            }
        }
        else
        {
            var request = new BoardDecisionRequest(
                RequestRules.TryParseName<BoardVerdict>(Decision, out var verdict) ? verdict : null,
                Blank(BudgetLineId), Blank(Conditions), Blank(Reason));
            command = request.ToCommand(Opened.Actor!, out errors);
        }

        foreach (var (field, messages) in parsing)
        {
            errors[field] = messages;
        }

        ModelState.Clear();
        ModelState.AddAll(errors);
        return errors.Count > 0 ? null : command;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}

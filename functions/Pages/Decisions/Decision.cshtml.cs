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
using Partnership.Workflows.Decisions;

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

    public const string AsChair = "Chair";

    public static readonly (string Value, string Label)[] InterestOptions = [("no", "No, I have no interest in it"), ("yes", "Yes, I have an interest")];

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

    [BindProperty]
    public string? Interest { get; set; }

    [BindProperty]
    public string? InterestNature { get; set; }

    [BindProperty]
    public string? Vote { get; set; }

    [BindProperty]
    public string? Objection { get; set; }

    /// <summary>The motion the member is asked to vote on (from version 4): none where HCE has yet to be proposed one.</summary>
    public Motion? Motion => Bid.DefinitionVersion >= BidWorkflowDefinition.BodiesVersion ? Bid.PendingMotion : null;

    /// <summary>Whether the form proposes HCE's recommendation as a motion (from version 4) rather than deciding it.</summary>
    public bool Proposes => Bid.DefinitionVersion >= BidWorkflowDefinition.BodiesVersion && Motion is null;

    /// <summary>Why this member takes no part in the item, when their interest in the applicant is known.</summary>
    public string? NoPart => Motion?.Interests.GetValueOrDefault(Opened.Actor!.UserId);

    /// <summary>Whether the standing orders let this member decide the motion alone, as chair.</summary>
    public bool MayActAlone { get; private set; }

    /// <summary>The vote's choices: the chair is also offered to decide alone, where the amount is within the limit.</summary>
    public IReadOnlyList<(string Value, string Label)> VoteOptions =>
    [
        (nameof(VoteChoice.Agrees), "Agree"), (nameof(VoteChoice.Objects), "Object"), (nameof(VoteChoice.Abstains), "Abstain"),
        .. MayActAlone ? [(AsChair, "Decide it alone, as chair (reported to the next meeting)")] : Array.Empty<(string, string)>(),
    ];

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
        if (Motion is { Status: MotionStatus.Open, Terms: { Decision: RecommendationKind.Approve, Amount: { } amount } } motion)
        {
            var body = await context.BodyAsync(Bid.FundId, motion.Body, ct);
            MayActAlone = body?.ChairsActionProblem(Opened.Actor!.UserId, amount, motion.Interests.Keys.ToHashSet()) is null;
        }

        return null;
    }

    private BidCommand? ReadCommand() => Motion is { } motion ? ReadVote(motion) : ReadDecision();

    /// <summary>A vote on the motion: first whether the member has an interest in the applicant, then their answer.</summary>
    private BidCommand? ReadVote(Motion motion)
    {
        var errors = new Dictionary<string, string[]>();
        BidCommand? command = null;
        var chosen = RequestRules.TryParseName<VoteChoice>(Vote, out var choice);
        switch (Interest)
        {
            case "yes" when string.IsNullOrWhiteSpace(InterestNature):
                errors[nameof(InterestNature)] = ["Say what your interest in the applicant is."];
                break;
            case "yes":
                command = new CastVote(Opened.Actor!, motion.Id, VoteChoice.Abstains, Interest: InterestNature!.Trim());
                break;
            case "no" when Vote == AsChair && MayActAlone:
                command = new ActAsChair(Opened.Actor!, motion.Id);
                break;
            case "no" when !chosen:
                errors[nameof(Vote)] = ["Choose agree, object or abstain."];
                break;
            case "no" when choice == VoteChoice.Objects && string.IsNullOrWhiteSpace(Objection):
                errors[nameof(Objection)] = ["Give the reason for your objection; it goes to the meeting."];
                break;
            case "no":
                command = new CastVote(Opened.Actor!, motion.Id, choice, choice == VoteChoice.Objects ? Objection!.Trim() : null);
                break;
            default:
                errors[nameof(Interest)] = [$"Say whether you have an interest in {Organisation}."];
                break;
        }

        ModelState.Clear();
        ModelState.AddAll(errors);
        return command;
    }

    private BidCommand? ReadDecision()
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

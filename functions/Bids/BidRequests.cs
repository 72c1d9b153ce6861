using Partnership.Functions.Http;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Bids;

/// <summary>
/// A proposal as the API takes it. With a business case (bids under workflow version 3 on), the amount requested is
/// what its cost lines add up to and may be left out; an amount given must match it.
/// </summary>
public sealed record ProposalRequest(string? Title, string? Summary, decimal? RequestedRevenue, decimal? RequestedCapital, DateOnly? GrantStart, DateOnly? GrantEnd, BusinessCase? BusinessCase = null)
{
    public Dictionary<string, string[]> Errors()
    {
        var errors = new Dictionary<string, string[]>();
        RequestRules.Require(errors, nameof(Title), string.IsNullOrWhiteSpace(Title), "Give the project a title.");
        RequestRules.Length(errors, nameof(Title), Title, 200);
        RequestRules.Length(errors, nameof(Summary), Summary, 10_000);
        RequestRules.Require(errors, nameof(RequestedRevenue), RequestedRevenue is null && BusinessCase is null, "Give the revenue amount requested (0 if none).");
        RequestRules.Require(errors, nameof(RequestedCapital), RequestedCapital is null && BusinessCase is null, "Give the capital amount requested (0 if none).");
        RequestRules.Require(errors, nameof(GrantStart), GrantStart is null, "Give the date the grant period starts.");
        RequestRules.Require(errors, nameof(GrantEnd), GrantEnd is null, "Give the date the grant period ends.");
        RequestRules.Amount(errors, nameof(RequestedRevenue), RequestedRevenue);
        RequestRules.Amount(errors, nameof(RequestedCapital), RequestedCapital);
        RequestRules.Date(errors, nameof(GrantStart), GrantStart);
        RequestRules.Date(errors, nameof(GrantEnd), GrantEnd);
        return errors;
    }

    public BidProposal ToProposal() =>
        new(Title!.Trim(), Summary?.Trim() ?? "", new Funding(RequestedRevenue ?? BusinessCase!.Totals.Revenue, RequestedCapital ?? BusinessCase!.Totals.Capital), GrantStart!.Value, GrantEnd!.Value)
        {
            Case = BusinessCase,
        };
}

public sealed record StartBidRequest(string? FundId, ProposalRequest? Proposal);

public sealed record ReasonRequest(string? Reason);

/// <summary>What the applicant must change, with comments against the business case's sections where there are any.</summary>
public sealed record ChangesRequest(string? Reason, Dictionary<CaseSection, string>? Sections = null);

/// <summary>
/// HCE's answer: approve (with the amount, any conditions and, if HCE proposes one, the budget line), defer (to a
/// date, with a reason) or reject (with reasons).
/// </summary>
public sealed record HceRecommendationRequest(RecommendationKind? Decision, decimal? Revenue, decimal? Capital, string? Conditions, DateOnly? DeferUntil, string? Reasons, string? BudgetLineId = null)
{
    public BidCommand? ToCommand(Actor actor, out Dictionary<string, string[]> errors)
    {
        errors = [];
        switch (Decision)
        {
            case RecommendationKind.Approve:
                RequestRules.Require(errors, nameof(Revenue), Revenue is null, "Give the revenue amount recommended (0 if none).");
                RequestRules.Require(errors, nameof(Capital), Capital is null, "Give the capital amount recommended (0 if none).");
                RequestRules.Amount(errors, nameof(Revenue), Revenue);
                RequestRules.Amount(errors, nameof(Capital), Capital);
                RequestRules.Id(errors, nameof(BudgetLineId), BudgetLineId);
                return errors.Count > 0 ? null : new RecommendApproval(actor, new Funding(Revenue!.Value, Capital!.Value), Conditions, BudgetLineId);
            case RecommendationKind.Defer:
                RequestRules.Require(errors, nameof(DeferUntil), DeferUntil is null, "Give the date to defer to.");
                RequestRules.Date(errors, nameof(DeferUntil), DeferUntil);
                RequestRules.Require(errors, nameof(Reasons), string.IsNullOrWhiteSpace(Reasons), "Say why the decision is deferred.");
                return errors.Count > 0 ? null : new DeferDecision(actor, DeferUntil!.Value, Reasons!);
            case RecommendationKind.Reject:
                RequestRules.Require(errors, nameof(Reasons), string.IsNullOrWhiteSpace(Reasons), "Give the reasons for rejecting.");
                return errors.Count > 0 ? null : new RecommendRejection(actor, Reasons!);
            default:
                errors[nameof(Decision)] = ["Choose Approve, Defer or Reject."];
                return null;
        }
    }
}

public enum BoardVerdict
{
    Approve,
    Reject,
}

public sealed record BoardDecisionRequest(BoardVerdict? Decision, string? BudgetLineId, string? Conditions, string? Reason)
{
    public BidCommand? ToCommand(Actor actor, out Dictionary<string, string[]> errors)
    {
        errors = [];
        switch (Decision)
        {
            case BoardVerdict.Approve:
                RequestRules.Require(errors, nameof(BudgetLineId), string.IsNullOrWhiteSpace(BudgetLineId), "Choose the budget line the grant is paid from.");
                RequestRules.Id(errors, nameof(BudgetLineId), BudgetLineId);
                return errors.Count > 0 ? null : new ApproveRecommendation(actor, BudgetLineId!, Conditions);
            case BoardVerdict.Reject:
                RequestRules.Require(errors, nameof(Reason), string.IsNullOrWhiteSpace(Reason), "Give the reason for rejecting.");
                return errors.Count > 0 ? null : new RejectRecommendation(actor, Reason!);
            default:
                errors[nameof(Decision)] = ["Choose Approve or Reject."];
                return null;
        }
    }
}

public sealed record SignedContractRequest(string? DocumentId);

public sealed record PurchaseOrderRequest(string? Number, DateOnly? Date, string? SupplierReference);

public sealed record BidDetail(BidState Bid, IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<EffectStatus>? Effects);

public sealed record TimelineEntry(int Version, DateTimeOffset At, string By, string Type, BidStage StageAfter, BidEvent Event);

public sealed record EffectStatus(string EffectId, string Kind, Effect? Effect, DateTimeOffset RecordedAt, DateTimeOffset? DoneAt, int Attempts, string? LastError, DateTimeOffset? FailedAt);

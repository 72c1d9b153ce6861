using Partnership.Functions.Http;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Decisions;

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

/// <summary>A member's vote on the motion named: their interest in the applicant if they have one (then no vote), else agree, object (with a reason) or abstain.</summary>
public sealed record VoteRequest(string? MotionId, VoteChoice? Vote, string? Reason, string? Interest)
{
    public CastVote? ToCommand(Actor actor, out Dictionary<string, string[]> errors)
    {
        errors = [];
        RequestRules.Require(errors, nameof(MotionId), string.IsNullOrWhiteSpace(MotionId) || !Ids.IsSafe(MotionId), "Name the motion you are voting on.");
        RequestRules.Require(errors, nameof(Vote), Interest is null && Vote is null, "Agree, object or abstain; or give your interest in the applicant.");
        RequestRules.Require(errors, nameof(Reason), Interest is null && Vote == VoteChoice.Objects && string.IsNullOrWhiteSpace(Reason), "Give the reason for your objection; it goes to the meeting.");
        RequestRules.Require(errors, nameof(Interest), Interest is not null && string.IsNullOrWhiteSpace(Interest), "Say what your interest in the applicant is.");
        RequestRules.Length(errors, nameof(Reason), Reason, 2_000);
        RequestRules.Length(errors, nameof(Interest), Interest, 500);
        return errors.Count > 0 ? null : new CastVote(actor, MotionId!, Vote ?? VoteChoice.Abstains, Reason, Interest);
    }
}

public sealed record ChairsActionRequest(string? MotionId);

/// <summary>What a meeting decided on a bid's motion: when, who attended, the outcome and its minute; changed terms, a deferral's date, a reason.</summary>
public sealed record MeetingDecisionRequest(DateOnly? Held, IReadOnlyList<string>? Attended, MeetingOutcome? Outcome, string? Minute, decimal? Revenue, decimal? Capital, string? Text, DateOnly? DeferTo)
{
    public RecordMeetingDecision? ToCommand(Actor actor, out Dictionary<string, string[]> errors)
    {
        errors = [];
        RequestRules.Require(errors, nameof(Held), Held is null, "Give the date of the meeting.");
        RequestRules.Date(errors, nameof(Held), Held);
        RequestRules.Require(errors, nameof(Attended), Attended is not { Count: > 0 } || Attended.Any(a => !Ids.IsSafe(a)), "List the members who attended, by their ids.");
        RequestRules.Count(errors, nameof(Attended), Attended, 50);
        RequestRules.Require(errors, nameof(Outcome), Outcome is null, "Give the outcome: Agreed, AgreedWithChanges, Deferred or Rejected.");
        RequestRules.Require(errors, nameof(Minute), string.IsNullOrWhiteSpace(Minute), "Give the minute reference.");
        RequestRules.Length(errors, nameof(Minute), Minute, 50);
        RequestRules.Amount(errors, nameof(Revenue), Revenue);
        RequestRules.Amount(errors, nameof(Capital), Capital);
        RequestRules.Length(errors, nameof(Text), Text, 2_000);
        RequestRules.Date(errors, nameof(DeferTo), DeferTo);
        var amount = Revenue is null && Capital is null ? null : new Funding(Revenue ?? 0m, Capital ?? 0m);
        return errors.Count > 0 ? null : new RecordMeetingDecision(actor, Held!.Value, [.. Attended!], Outcome!.Value, Minute!, amount, Text, DeferTo);
    }
}

public sealed record SignedContractRequest(string? DocumentId);

public sealed record PurchaseOrderRequest(string? Number, DateOnly? Date, string? SupplierReference);

public sealed record BidDetail(BidState Bid, IReadOnlyList<TimelineEntry> Timeline, IReadOnlyList<EffectStatus>? Effects);

public sealed record TimelineEntry(int Version, DateTimeOffset At, string By, string Type, BidStage StageAfter, BidEvent Event);

public sealed record EffectStatus(string EffectId, string Kind, Effect? Effect, DateTimeOffset RecordedAt, DateTimeOffset? DoneAt, int Attempts, string? LastError, DateTimeOffset? FailedAt);

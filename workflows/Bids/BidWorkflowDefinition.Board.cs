namespace Partnership.Workflows.Bids;

/// <summary>The Partnership Board's decision on HCE's recommendation, drawing the money from a budget line.</summary>
public sealed partial class BidWorkflowDefinition
{
    private static IEnumerable<Transition> BoardTransitions() =>
    [
            new()
            {
                Command = typeof(ApproveRecommendation), Action = "approve the HCE recommendation",
                From = [BidStage.BoardApproval], To = BidStage.Contracting, Roles = [Role.BoardMember],
                Guard = "HCE recommended approval with an amount, and the chosen budget line can fund it (moved in the same step)",
                Records = [nameof(BoardApproved)],
                Asks = ["allocate the amount from the budget line", "make the grant agreement", "notify the applicant", "ask coordinators to send the contract"],
                Check = s => s.State.Recommendation is not { Kind: RecommendationKind.Approve, Amount: not null } ? "There is no HCE recommendation to approve."
                    : Required(s.Cmd<ApproveRecommendation>().BudgetLineId, "Choose the budget line the grant is paid from."),
                Apply = s => BoardApproval(s, s.State.Recommendation!.Amount!, s.Cmd<ApproveRecommendation>().BudgetLineId, s.Cmd<ApproveRecommendation>().Conditions),
            },
            new()
            {
                Command = typeof(RejectRecommendation), Action = "reject the HCE recommendation",
                From = [BidStage.BoardApproval], To = BidStage.Rejected, Roles = [Role.BoardMember],
                Guard = "a reason the applicant can read", Records = [nameof(BoardRejected)],
                Asks = ["cancel the decision timers", "notify the applicant and coordinators"],
                Check = s => Required(s.Cmd<RejectRecommendation>().Reason, "Give the reason for rejecting the recommendation."),
                Apply = s => BoardRejection(s, s.Cmd<RejectRecommendation>().Reason),
            },
    ];

    /// <summary>The Board's approval takes effect: the money moves from the line in the same step, or nothing does.</summary>
    private static void BoardApproval(Step s, Funding amount, string budgetLineId, string? conditions)
    {
        conditions = Trimmed(conditions);
        s.State = s.State with { ApprovedAmount = amount, BoardConditions = conditions, BudgetLineId = budgetLineId };
        s.MoveMoney(budgetLineId, amount);
        s.Record(new BoardApproved(amount, budgetLineId, conditions));
        s.MoveTo(BidStage.Contracting);
        s.Effects.Add(new MakeDocument(DocumentKind.GrantAgreement));
        s.Notify(Audience.Applicant, "bid-approved");
        s.Notify(Audience.Coordinators, "contract-to-send");
    }

    private static void BoardRejection(Step s, string reason)
    {
        s.State = s.State with { OutcomeReason = reason.Trim() };
        s.Record(new BoardRejected(reason.Trim()));
        s.MoveTo(BidStage.Rejected);
        s.Notify(Audience.Applicant, "bid-rejected");
        s.Notify(Audience.Coordinators, "bid-rejected");
    }
}

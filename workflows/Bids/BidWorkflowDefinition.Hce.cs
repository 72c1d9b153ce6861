namespace Partnership.Workflows.Bids;

/// <summary>HCE's recommendation: approve (with an amount and conditions), defer to a date, or reject.</summary>
public sealed partial class BidWorkflowDefinition
{
    private static IEnumerable<Transition> HceTransitions() =>
    [
            new()
            {
                Command = typeof(RecommendApproval), Action = "recommend approval",
                From = [BidStage.HceRecommendation], To = BidStage.BoardApproval, Roles = [Role.HceMember],
                Guard = "an amount in whole pence (it may differ from the amount requested)",
                Records = [nameof(HceRecommendedApproval)],
                Asks = ["prompt Board members to decide by the due date", "notify coordinators", "reminder and escalation timers"],
                Check = s => s.Cmd<RecommendApproval>().Amount.Problem("The recommended amount"),
                Apply = s =>
                {
                    var command = s.Cmd<RecommendApproval>();
                    RecommendedApproval(s, command.Amount, command.Conditions, command.BudgetLineId, command.Actor.UserId);
                    s.StartDecisionWindow(Audience.BoardMembers, "decision-prompt-board");
                },
            },
            new()
            {
                Command = typeof(DeferDecision), Action = "defer the recommendation",
                From = [BidStage.HceRecommendation], Roles = [Role.HceMember],
                Guard = "a date after today and a reason", Records = [nameof(HceDeferred)],
                Asks = ["cancel the decision timers", "a timer for the date deferred to", "notify coordinators and the applicant"],
                Check = s =>
                    s.Cmd<DeferDecision>().Until <= s.Today ? "Defer to a date after today."
                    : Required(s.Cmd<DeferDecision>().Reason, "Give a reason for deferring."),
                Apply = s => Deferred(s, s.Cmd<DeferDecision>().Until, s.Cmd<DeferDecision>().Reason, s.Command.Actor.UserId),
            },
            new()
            {
                Command = typeof(RecommendRejection), Action = "recommend rejection",
                From = [BidStage.HceRecommendation], To = BidStage.Rejected, Roles = [Role.HceMember],
                Guard = "reasons the applicant can read", Records = [nameof(HceRecommendedRejection)],
                Asks = ["cancel the decision timers", "notify the applicant and coordinators"],
                Check = s => Required(s.Cmd<RecommendRejection>().Reasons, "Give the reasons for rejecting the bid."),
                Apply = s => RecommendedRejection(s, s.Cmd<RecommendRejection>().Reasons, s.Command.Actor.UserId),
            },
            new()
            {
                Command = typeof(FireTimer), Timer = TimerPurpose.DeferralEnds, Action = "bring a deferred bid back to HCE",
                From = [BidStage.HceRecommendation], Roles = [Role.System],
                Guard = "the timer is still pending", Records = [nameof(DeferralEnded)],
                Asks = ["prompt HCE members again with a new due date", "reminder and escalation timers"],
                Apply = s =>
                {
                    s.Forget(s.FiredTimer!);
                    s.Record(new DeferralEnded(s.State.Recommendation?.DeferredUntil ?? s.Today));
                    s.StartDecisionWindow(Audience.HceMembers, "decision-prompt-hce");
                },
            },
    ];

    /// <summary>HCE's recommendation to approve takes effect: the bid goes to the Board, which the caller asks.</summary>
    private static void RecommendedApproval(Step s, Funding amount, string? conditions, string? budgetLineId, string by)
    {
        conditions = Trimmed(conditions);
        s.State = s.State with { Recommendation = new(RecommendationKind.Approve, amount, conditions, null, null, by, s.Now, budgetLineId) };
        s.Record(new HceRecommendedApproval(amount, conditions, budgetLineId));
        s.MoveTo(BidStage.BoardApproval);
        s.Notify(Audience.Coordinators, "hce-recommended-approval");
    }

    private static void Deferred(Step s, DateOnly until, string reason, string by)
    {
        s.State = s.State with
        {
            Recommendation = new(RecommendationKind.Defer, null, null, reason.Trim(), until, by, s.Now),
            DecisionDueAt = null,
        };
        s.Record(new HceDeferred(until, reason.Trim()));
        s.CancelDecisionTimers();
        s.SetTimer(TimerPurpose.DeferralEnds, s.MorningOf(until));
        s.Notify(Audience.Coordinators, "decision-deferred");
        s.Notify(Audience.Applicant, "decision-deferred");
    }

    private static void RecommendedRejection(Step s, string reasons, string by)
    {
        s.State = s.State with
        {
            Recommendation = new(RecommendationKind.Reject, null, null, reasons.Trim(), null, by, s.Now),
            OutcomeReason = reasons.Trim(),
        };
        s.Record(new HceRecommendedRejection(reasons.Trim()));
        s.MoveTo(BidStage.Rejected);
        s.Notify(Audience.Applicant, "bid-rejected");
        s.Notify(Audience.Coordinators, "bid-rejected");
    }
}

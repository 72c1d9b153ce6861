using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Workflow;

/// <summary>
/// How a command is decided on a bid and what a decision answers, one rule for both places that decide: the
/// precheck on the state last recorded and the bid's orchestration on the state it holds, so the forecast a caller
/// is given cannot drift from what the bid then does.
/// </summary>
public static class BidDecision
{
    public static Decision Decide(BidState? state, BidCommand command, BidRules rules, WorkingCalendar calendar, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return (state, command) switch
        {
            (null, StartBid start) => BidWorkflow.Start(start, at),
            (not null, StartBid) => new Refused(RefusalKind.Invalid, "A bid with this id already exists; use a new Idempotency-Key to start another."),
            (null, _) => new Refused(RefusalKind.Invalid, "This bid was never started."),
            _ => new BidWorkflow(new BidWorkflowSettings(rules.Deadlines, calendar, rules.Monitoring) { Governance = rules.Governance }).Decide(state, command, at),
        };
    }

    /// <summary>The answer a decision is by itself: a refusal or an ignored command; none for an acceptance, which is answered once it is recorded.</summary>
    public static CommandResult? Answer(string bidId, BidState? state, Decision decision) => decision switch
    {
        Ignored ignored => new CommandResult(bidId, CommandOutcome.Ignored, state?.Version, state?.Stage, Reason: ignored.Reason),
        Refused refused => Refusal(bidId, state, refused.Kind, refused.Reason),
        _ => null,
    };

    public static CommandResult Refusal(string bidId, BidState? state, RefusalKind kind, string reason) =>
        new(bidId, CommandOutcome.Refused, state?.Version, state?.Stage, kind, reason);
}

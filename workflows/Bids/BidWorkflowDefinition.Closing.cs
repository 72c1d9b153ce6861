using Partnership.Workflows.Grants;

namespace Partnership.Workflows.Bids;

/// <summary>Closing the grant: the end of the grant period, the last return, and closure with the unspent award given back.</summary>
public sealed partial class BidWorkflowDefinition
{
    private static IEnumerable<Transition> ClosingTransitions() =>
    [
            new()
            {
                Command = typeof(StartClosing), Action = "start closing the grant",
                From = [BidStage.Monitoring], To = BidStage.Closing, Roles = [Role.Coordinator],
                Guard = "none", Records = [nameof(ClosingStarted), nameof(ReturnsWithdrawn)],
                Asks = ["cancel the grant-period timer", "withdraw returns for quarters not yet begun; the latest becomes the final return", "ask the applicant for the final return"],
                Apply = s =>
                {
                    s.Record(new ClosingStarted("coordinator"));
                    s.MoveTo(BidStage.Closing);
                    s.EndReturnsAt(s.Today);
                    s.Notify(Audience.Applicant, "final-return-requested");
                },
            },
            new()
            {
                Command = typeof(CloseBid), Action = "close the grant",
                From = [BidStage.Closing], To = BidStage.Closed, Roles = [Role.Coordinator],
                Guard = "every return, the final one included, has been accepted",
                Records = [nameof(UnspentReturned), nameof(BidClosed)], Asks = ["give the unspent award back to its budget line", "notify the applicant"],
                Check = s => s.State.Returns.FirstOrDefault(r => r.Status != ReturnStatus.Accepted) is { } open
                    ? $"The {open.Period().Label}{(open.IsFinal ? " (final)" : "")} return has not been accepted yet."
                    : null,
                Apply = s =>
                {
                    if (s.State.ApprovedAmount is { } award && s.State.BudgetLineId is { } line)
                    {
                        var spent = s.State.SpendToDate();
                        var unspent = new Funding(Math.Max(0m, award.Revenue - spent.Revenue), Math.Max(0m, award.Capital - spent.Capital));
                        if (unspent.Total > 0m)
                        {
                            s.MoveMoney(line, new Funding(-unspent.Revenue, -unspent.Capital));
                            s.State = s.State with { ReturnedAtClosure = unspent };
                            s.Record(new UnspentReturned(line, unspent));
                        }
                    }

                    s.Record(new BidClosed());
                    s.MoveTo(BidStage.Closed);
                    s.Notify(Audience.Applicant, "bid-closed");
                },
            },
            new()
            {
                Command = typeof(FireTimer), Timer = TimerPurpose.GrantPeriodEnds, Action = "close the grant period",
                From = [BidStage.Monitoring], To = BidStage.Closing, Roles = [Role.System],
                Guard = "the timer is still pending", Records = [nameof(ClosingStarted)],
                Asks = ["ask the applicant for the final return", "notify coordinators"],
                Apply = s =>
                {
                    s.Record(new ClosingStarted("the grant period ended"));
                    s.MoveTo(BidStage.Closing);
                    s.EndReturnsAt(s.Today);
                    s.Notify(Audience.Applicant, "final-return-requested");
                    s.Notify(Audience.Coordinators, "grant-period-ended");
                },
            },
    ];
}

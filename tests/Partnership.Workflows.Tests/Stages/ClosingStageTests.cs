using System.Collections.Immutable;
using Partnership.Workflows.Bids;
using static Partnership.Workflows.Tests.TestBids;

namespace Partnership.Workflows.Tests.Stages;

/// <summary>Closing: the end of the grant period, the final return, closing early.</summary>
public class ClosingStageTests
{
    [Fact]
    public void The_end_of_the_grant_period_moves_a_monitored_grant_to_closing()
    {
        var ordered = Workflow.Decide(In(BidStage.PurchaseOrder), new RecordPurchaseOrder(Finance, "PO1", new DateOnly(2026, 11, 20), "SUP"), Now).Accept();
        var end = Assert.Single(ordered.State.Timers, t => t.Purpose == TimerPurpose.GrantPeriodEnds);
        Assert.Equal((TimerPurpose.GrantPeriodEnds, new DateTimeOffset(2029, 1, 1, 9, 0, 0, TimeSpan.Zero)), (end.Purpose, end.DueAt));
        var closing = Workflow.Decide(ordered.State, new FireTimer(Actor.System, end.Id), end.DueAt).Accept();
        Assert.Equal(BidStage.Closing, closing.State.Stage);
        Assert.Contains(new Notify(Audience.Applicant, "final-return-requested"), closing.Effects);
    }

    [Fact]
    public void Closing_needs_the_final_return_accepted_and_gives_the_unspent_award_back_to_its_line()
    {
        var closing = In(BidStage.Closing);
        Assert.Equal("The 2026/27 Q1 return has not been accepted yet.", Workflow.Decide(closing, new CloseBid(Coordinator), Now).Refuse().Reason);
        var done = In(BidStage.Closing, typeof(CloseBid));
        var closed = Workflow.Decide(done, new CloseBid(Coordinator), Now).Accept();
        Assert.Equal(BidStage.Closed, closed.State.Stage);
        var unspent = new Funding(50_903.27m - (3 * 12_000m), 0m);
        Assert.Equal([new BudgetMove("2010-11-laa-reward-grant", new Funding(-unspent.Revenue, 0m))], closed.Moves);
        Assert.Equal(unspent, closed.State.ReturnedAtClosure);
        Assert.Empty(closed.State.Timers);
    }

    [Fact]
    public void Closing_early_withdraws_returns_for_quarters_not_begun_and_makes_the_latest_final()
    {
        var bid = MonitoredFrom(new DateOnly(2026, 10, 1), new DateOnly(2027, 3, 31));
        var closing = Workflow.Decide(bid, new StartClosing(Coordinator), Now).Accept();
        Assert.Equal(["2026q3"], closing.State.Returns.Select(r => r.Quarter));
        Assert.True(closing.State.Returns.Single().IsFinal);
        Assert.Equal(ImmutableList.Create("2026q4"), closing.Events.OfType<ReturnsWithdrawn>().Single().Quarters);
        Assert.Contains(closing.State.Timers, t => t.Subject == "2026q3");
    }
}

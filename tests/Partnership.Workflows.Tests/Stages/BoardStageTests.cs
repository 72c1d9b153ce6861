using Partnership.Workflows.Bids;
using static Partnership.Workflows.Tests.TestBids;

namespace Partnership.Workflows.Tests.Stages;

/// <summary>The Partnership Board's approval under version 3, which bids started before version 4 still follow: one member, on the amount HCE recommended.</summary>
public class BoardStageTests
{
    [Fact]
    public void Hce_may_recommend_a_different_amount_from_the_one_requested_and_the_board_approves_that_amount()
    {
        var recommended = Workflow.Decide(In(BidStage.HceRecommendation, definitionVersion: 3), new RecommendApproval(Hce, new Funding(50_903.27m, 0m), "Quarterly reports to HCE"), Now).Accept();
        Assert.Equal(55_000m, recommended.State.Proposal.Requested.Total);
        var approved = Workflow.Decide(recommended.State, new ApproveRecommendation(Board, "2010-11-laa-reward-grant", "Spend on evaluation first"), Now).Accept();
        Assert.Equal(new Funding(50_903.27m, 0m), approved.State.ApprovedAmount);
        Assert.Equal("Quarterly reports to HCE", approved.State.Recommendation!.Conditions);
        Assert.Equal("Spend on evaluation first", approved.State.BoardConditions);
        Assert.Contains(approved.Effects, e => e is MakeDocument { Kind: DocumentKind.GrantAgreement });
        Assert.Equal([new BudgetMove("2010-11-laa-reward-grant", new Funding(50_903.27m, 0m))], approved.Moves);
        Assert.Equal([new LedgerEntry("2010-11-laa-reward-grant", approved.State.Version, new Funding(50_903.27m, 0m))], approved.State.Ledger);
        Assert.Equal("2010-11-laa-reward-grant", approved.State.BudgetLineId);
    }

    [Fact]
    public void Deciding_cancels_the_stage_timers_so_a_late_escalation_does_nothing()
    {
        var referred = ReferredToHce(Now, 3);
        var recommended = Workflow.Decide(referred.State, new RecommendApproval(Hce, new Funding(15_000m, 0m), null), Now.AddDays(1)).Accept();
        var cancelled = recommended.Effects.OfType<CancelTimer>().Select(c => c.TimerId).ToHashSet();
        Assert.Equal(referred.State.Timers.Select(t => t.Id).ToHashSet(), cancelled);
        var hceEscalation = referred.State.Timers.Single(t => t.Purpose == TimerPurpose.DecisionEscalation);
        Assert.IsType<Ignored>(Workflow.Decide(recommended.State, new FireTimer(Actor.System, hceEscalation.Id), hceEscalation.DueAt));
        Assert.All(recommended.State.Timers, t => Assert.Equal(BidStage.BoardApproval, t.Stage));
    }
}

using Partnership.Workflows.Bids;
using static Partnership.Workflows.Tests.TestBids;

namespace Partnership.Workflows.Tests.Stages;

/// <summary>What applies at any stage: who fires timers, undelivered prompts.</summary>
public class AnyStageTests
{
    [Fact]
    public void Only_the_system_fires_timers()
    {
        var referred = Workflow.Decide(In(BidStage.Screening), new ReferToHce(Coordinator), Now).Accept();
        var reminder = referred.State.Timers.Single(t => t.Purpose == TimerPurpose.DecisionReminder);
        foreach (var person in EveryActor.Where(a => a.Role != Role.System))
        {
            Assert.Equal(RefusalKind.Forbidden, Workflow.Decide(referred.State, new FireTimer(person, reminder.Id), reminder.DueAt).Refuse().Kind);
        }
    }

    [Theory]
    [InlineData(DeliveryOutcome.Bounced, "decision-prompt-board", true)]
    [InlineData(DeliveryOutcome.Dropped, "decision-reminder", true)]
    [InlineData(DeliveryOutcome.Bounced, "bid-received", false)]
    [InlineData(DeliveryOutcome.Delivered, "decision-prompt-hce", false)]
    public void An_undelivered_decision_prompt_alerts_the_coordinators(DeliveryOutcome outcome, string template, bool alerts)
    {
        var reported = Workflow.Decide(In(BidStage.BoardApproval), new RecordDelivery(Actor.System, "fx-00000007-01", "chair@example.org", template, outcome, "550 mailbox unavailable", Now), Now).Accept();
        Assert.Equal(outcome, Assert.IsType<DeliveryReported>(Assert.Single(reported.Events)).Outcome);
        Assert.Equal(alerts, reported.Effects.Contains(new Notify(Audience.Coordinators, "prompt-undelivered")));
        Assert.Equal(BidStage.BoardApproval, reported.State.Stage);
    }
}

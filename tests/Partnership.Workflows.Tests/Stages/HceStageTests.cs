using Partnership.Workflows.Bids;
using static Partnership.Workflows.Tests.TestBids;

namespace Partnership.Workflows.Tests.Stages;

/// <summary>HCE's recommendation under version 3, which bids started before version 4 still follow: its deadline, reminder and escalation, a deferral, a rejection, each by one member.</summary>
public class HceStageTests
{
    [Fact]
    public void Hce_is_prompted_with_a_due_date_ten_working_days_out_a_reminder_three_days_before_and_the_chair_two_days_after()
    {
        var referred = ReferredToHce(Now, 3);
        Assert.Equal(HceDue, referred.State.DecisionDueAt);
        Assert.Contains(new Notify(Audience.HceMembers, "decision-prompt-hce", HceDue), referred.Effects);
        var timers = referred.Effects.OfType<SetTimer>().Select(t => (t.Timer.Purpose, t.Timer.DueAt)).ToList();
        Assert.Equal([(TimerPurpose.DecisionReminder, HceDue.AddDays(-3)), (TimerPurpose.DecisionEscalation, HceDue.AddDays(2))], timers);
        Assert.Equal(Audience.BoardChair, FundDeadlines.Defaults.For(BidStage.HceRecommendation)!.EscalateTo);
    }

    [Fact]
    public void A_recommendation_carries_the_budget_line_HCE_proposes_for_the_board_to_see()
    {
        var recommended = Workflow.Decide(ReferredToHce(Now, 3).State, new RecommendApproval(Hce, new Funding(50_903.27m, 0m), null, "2010-11-laa-reward-grant"), Now).Accept();
        Assert.Equal("2010-11-laa-reward-grant", recommended.State.Recommendation!.BudgetLineId);
        Assert.Equal(new HceRecommendedApproval(new Funding(50_903.27m, 0m), null, "2010-11-laa-reward-grant"), Assert.Single(recommended.Events) with { At = default, By = "" });
        Assert.Null(recommended.State.BudgetLineId);
    }

    [Fact]
    public void Working_days_skip_weekends_and_bank_holidays_across_the_year_end()
    {
        var referred = ReferredToHce(new DateTimeOffset(2026, 12, 21, 10, 0, 0, TimeSpan.Zero), 3);
        Assert.Equal(new DateTimeOffset(2027, 1, 7, 17, 0, 0, TimeSpan.Zero), referred.State.DecisionDueAt);
    }

    [Fact]
    public void Deadlines_fall_at_five_pm_uk_time_in_summer_too()
    {
        var referred = ReferredToHce(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero), 3);
        Assert.Equal(new DateTimeOffset(2026, 6, 15, 17, 0, 0, TimeSpan.FromHours(1)), referred.State.DecisionDueAt);
    }

    [Fact]
    public void Changed_deadlines_apply_to_bids_entering_the_stage()
    {
        var fund = FundDeadlines.Defaults.With(BidStage.HceRecommendation, new StageDeadline(5, 1, 1, Audience.Coordinators));
        var workflow = new BidWorkflow(new BidWorkflowSettings(fund, Calendar));
        var referred = workflow.Decide(In(BidStage.Screening, definitionVersion: 3), new ReferToHce(Coordinator), Now).Accept();
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 17, 0, 0, TimeSpan.Zero), referred.State.DecisionDueAt);
    }

    [Fact]
    public void A_reminder_fires_once_and_then_no_longer_applies()
    {
        var referred = ReferredToHce(Now, 3);
        var reminder = referred.State.Timers.Single(t => t.Purpose == TimerPurpose.DecisionReminder);
        var fired = Workflow.Decide(referred.State, new FireTimer(Actor.System, reminder.Id), reminder.DueAt).Accept();
        var sent = Assert.IsType<ReminderSent>(Assert.Single(fired.Events));
        Assert.Equal(HceDue, sent.DecisionDue);
        Assert.Equal([new Notify(Audience.HceMembers, "decision-reminder", HceDue)], fired.Effects);
        Assert.DoesNotContain(fired.State.Timers, t => t.Id == reminder.Id);
        Assert.IsType<Ignored>(Workflow.Decide(fired.State, new FireTimer(Actor.System, reminder.Id), reminder.DueAt.AddMinutes(1)));
    }

    [Fact]
    public void A_timer_cannot_fire_before_it_is_due()
    {
        var referred = ReferredToHce(Now, 3);
        var escalation = referred.State.Timers.Single(t => t.Purpose == TimerPurpose.DecisionEscalation);
        Assert.IsType<Refused>(Workflow.Decide(referred.State, new FireTimer(Actor.System, escalation.Id), escalation.DueAt.AddSeconds(-1)));
    }

    [Fact]
    public void An_overdue_decision_is_escalated_to_the_chair_and_the_deciders_are_told()
    {
        var referred = ReferredToHce(Now, 3);
        var escalation = referred.State.Timers.Single(t => t.Purpose == TimerPurpose.DecisionEscalation);
        var fired = Workflow.Decide(referred.State, new FireTimer(Actor.System, escalation.Id), escalation.DueAt).Accept();
        Assert.Equal(Audience.BoardChair, Assert.IsType<DecisionEscalated>(Assert.Single(fired.Events)).EscalatedTo);
        Assert.Equal([new Notify(Audience.BoardChair, "decision-escalation", HceDue), new Notify(Audience.HceMembers, "decision-overdue", HceDue)], fired.Effects);
    }

    [Fact]
    public void A_deferral_must_be_to_a_later_day()
    {
        var refused = Workflow.Decide(In(BidStage.HceRecommendation, definitionVersion: 3), new DeferDecision(Hce, new DateOnly(2026, 11, 23), "Later"), Now).Refuse();
        Assert.Contains("after today", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deferral_parks_the_decision_until_the_date_and_then_prompts_hce_again()
    {
        var referred = ReferredToHce(Now, 3);
        var deferred = Workflow.Decide(referred.State, new DeferDecision(Hce, new DateOnly(2026, 12, 21), "Awaiting the project plan"), Now.AddDays(2)).Accept();
        Assert.Equal(BidStage.HceRecommendation, deferred.State.Stage);
        Assert.Null(deferred.State.DecisionDueAt);
        var wake = Assert.Single(deferred.State.Timers);
        Assert.Equal((TimerPurpose.DeferralEnds, new DateTimeOffset(2026, 12, 21, 9, 0, 0, TimeSpan.Zero)), (wake.Purpose, wake.DueAt));
        Assert.Equal(2, deferred.Effects.OfType<CancelTimer>().Count());

        var woken = Workflow.Decide(deferred.State, new FireTimer(Actor.System, wake.Id), wake.DueAt).Accept();
        Assert.IsType<DeferralEnded>(Assert.Single(woken.Events));
        var due = new DateTimeOffset(2027, 1, 7, 17, 0, 0, TimeSpan.Zero);
        Assert.Equal(due, woken.State.DecisionDueAt);
        Assert.Contains(new Notify(Audience.HceMembers, "decision-prompt-hce", due), woken.Effects);
        Assert.Equal(2, woken.State.Timers.Count);
    }

    [Fact]
    public void Hce_rejection_ends_the_bid_with_the_reasons()
    {
        var rejected = Workflow.Decide(In(BidStage.HceRecommendation, definitionVersion: 3), new RecommendRejection(Hce, "Outside the priorities."), Now).Accept();
        Assert.Equal(BidStage.Rejected, rejected.State.Stage);
        Assert.Equal("Outside the priorities.", rejected.State.OutcomeReason);
        Assert.Contains(rejected.Effects, e => e is Notify { To: Audience.Applicant, Template: "bid-rejected" });
    }
}

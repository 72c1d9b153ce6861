using Partnership.Workflows.Bids;
using static Partnership.Workflows.Tests.TestBids;

namespace Partnership.Workflows.Tests;

public class TimerTests
{
    private static readonly DateTimeOffset HceDue = new(2026, 12, 7, 17, 0, 0, TimeSpan.Zero);

    private static Accepted ReferredToHce(DateTimeOffset at) => Workflow.Decide(In(BidStage.Screening), new ReferToHce(Coordinator), at).Accept();

    [Fact]
    public void Hce_is_prompted_with_a_due_date_ten_working_days_out_a_reminder_three_days_before_and_the_chair_two_days_after()
    {
        var referred = ReferredToHce(Now);
        Assert.Equal(HceDue, referred.State.DecisionDueAt);
        Assert.Contains(new Notify(Audience.HceMembers, "decision-prompt-hce", HceDue), referred.Effects);
        var timers = referred.Effects.OfType<SetTimer>().Select(t => (t.Timer.Purpose, t.Timer.DueAt)).ToList();
        Assert.Equal([(TimerPurpose.DecisionReminder, HceDue.AddDays(-3)), (TimerPurpose.DecisionEscalation, HceDue.AddDays(2))], timers);
        Assert.Equal(Audience.BoardChair, FundDeadlines.Defaults.For(BidStage.HceRecommendation)!.EscalateTo);
    }

    [Fact]
    public void Working_days_skip_weekends_and_bank_holidays_across_the_year_end()
    {
        var referred = ReferredToHce(new DateTimeOffset(2026, 12, 21, 10, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2027, 1, 7, 17, 0, 0, TimeSpan.Zero), referred.State.DecisionDueAt);
    }

    [Fact]
    public void Deadlines_fall_at_five_pm_uk_time_in_summer_too()
    {
        var referred = ReferredToHce(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 6, 15, 17, 0, 0, TimeSpan.FromHours(1)), referred.State.DecisionDueAt);
    }

    [Fact]
    public void A_reminder_fires_once_and_then_no_longer_applies()
    {
        var referred = ReferredToHce(Now);
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
        var referred = ReferredToHce(Now);
        var escalation = referred.State.Timers.Single(t => t.Purpose == TimerPurpose.DecisionEscalation);
        Assert.IsType<Refused>(Workflow.Decide(referred.State, new FireTimer(Actor.System, escalation.Id), escalation.DueAt.AddSeconds(-1)));
    }

    [Fact]
    public void An_overdue_decision_is_escalated_to_the_chair_and_the_deciders_are_told()
    {
        var referred = ReferredToHce(Now);
        var escalation = referred.State.Timers.Single(t => t.Purpose == TimerPurpose.DecisionEscalation);
        var fired = Workflow.Decide(referred.State, new FireTimer(Actor.System, escalation.Id), escalation.DueAt).Accept();
        Assert.Equal(Audience.BoardChair, Assert.IsType<DecisionEscalated>(Assert.Single(fired.Events)).EscalatedTo);
        Assert.Equal([new Notify(Audience.BoardChair, "decision-escalation", HceDue), new Notify(Audience.HceMembers, "decision-overdue", HceDue)], fired.Effects);
    }

    [Fact]
    public void Deciding_cancels_the_stage_timers_so_a_late_escalation_does_nothing()
    {
        var referred = ReferredToHce(Now);
        var recommended = Workflow.Decide(referred.State, new RecommendApproval(Hce, new Funding(15_000m, 0m), null), Now.AddDays(1)).Accept();
        var cancelled = recommended.Effects.OfType<CancelTimer>().Select(c => c.TimerId).ToHashSet();
        Assert.Equal(referred.State.Timers.Select(t => t.Id).ToHashSet(), cancelled);
        var hceEscalation = referred.State.Timers.Single(t => t.Purpose == TimerPurpose.DecisionEscalation);
        Assert.IsType<Ignored>(Workflow.Decide(recommended.State, new FireTimer(Actor.System, hceEscalation.Id), hceEscalation.DueAt));
        Assert.All(recommended.State.Timers, t => Assert.Equal(BidStage.BoardApproval, t.Stage));
    }

    [Fact]
    public void A_deferral_parks_the_decision_until_the_date_and_then_prompts_hce_again()
    {
        var referred = ReferredToHce(Now);
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
    public void Timers_from_a_stage_left_earlier_are_never_reused_when_the_stage_is_entered_again()
    {
        var screening = Workflow.Decide(Draft(), new Submit(Applicant), Now).Accept();
        var sentBack = Workflow.Decide(screening.State, new RequestChanges(Coordinator, "Add a budget"), Now).Accept();
        var again = Workflow.Decide(sentBack.State, new Resubmit(Applicant), Now).Accept();
        var firstIds = screening.State.Timers.Select(t => t.Id);
        Assert.Empty(firstIds.Intersect(again.State.Timers.Select(t => t.Id)));
    }

    [Fact]
    public void Changed_deadlines_apply_to_bids_entering_the_stage()
    {
        var fund = FundDeadlines.Defaults.With(BidStage.HceRecommendation, new StageDeadline(5, 1, 1, Audience.Coordinators));
        var workflow = new BidWorkflow(new BidWorkflowSettings(fund, Calendar));
        var referred = workflow.Decide(In(BidStage.Screening), new ReferToHce(Coordinator), Now).Accept();
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 17, 0, 0, TimeSpan.Zero), referred.State.DecisionDueAt);
    }
}

public class TimerAuthorityTests
{
    [Fact]
    public void Only_the_system_fires_timers()
    {
        var referred = TestBids.Workflow.Decide(TestBids.In(BidStage.Screening), new ReferToHce(TestBids.Coordinator), TestBids.Now).Accept();
        var reminder = referred.State.Timers.Single(t => t.Purpose == TimerPurpose.DecisionReminder);
        foreach (var person in TestBids.EveryActor.Where(a => a.Role != Role.System))
        {
            Assert.Equal(RefusalKind.Forbidden, TestBids.Workflow.Decide(referred.State, new FireTimer(person, reminder.Id), reminder.DueAt).Refuse().Kind);
        }
    }
}

using Partnership.Workflows.Bids;
using Partnership.Workflows.Grants;
using static Partnership.Workflows.Tests.TestBids;

namespace Partnership.Workflows.Tests.Stages;

/// <summary>Quarterly monitoring: the calendar, the reminder ladder, returns, instalments and variations.</summary>
public class MonitoringStageTests
{
    private static readonly MonitoringSettings Ladder = MonitoringSettings.Defaults;

    [Fact]
    public void Quarters_follow_the_uk_financial_year_across_the_year_end()
    {
        Assert.Equal(new FinancialQuarter(2011, 2), FinancialQuarter.Containing(new DateOnly(2011, 9, 30)));
        Assert.Equal(new FinancialQuarter(2011, 4), FinancialQuarter.Containing(new DateOnly(2012, 1, 1)));
        Assert.Equal("2026/27 Q4", new FinancialQuarter(2026, 4).Label);
        Assert.Equal((new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 31)), (new FinancialQuarter(2026, 4).Start, new FinancialQuarter(2026, 4).End));
        Assert.Equal(["2026q2", "2026q3", "2026q4", "2027q1", "2027q2", "2027q3", "2027q4"],
            FinancialQuarter.Covering(new DateOnly(2026, 8, 1), new DateOnly(2028, 3, 31)).Select(q => q.Key));
        Assert.Equal(new FinancialQuarter(2099, 3), FinancialQuarter.Parse("2099q3"));
        Assert.Throws<FormatException>(() => FinancialQuarter.Parse("2011Q5"));
    }

    [Fact]
    public void Returns_fall_due_on_the_17th_after_the_quarter_moved_past_weekends_and_bank_holidays()
    {
        Assert.Equal(new DateOnly(2011, 10, 17), Ladder.DueOn(new FinancialQuarter(2011, 2), Calendar));
        Assert.Equal(new DateOnly(2026, 10, 19), Ladder.DueOn(new FinancialQuarter(2026, 2), Calendar));
        Assert.Equal(new DateOnly(2027, 1, 18), Ladder.DueOn(new FinancialQuarter(2026, 3), Calendar));
        var firstOfMonth = Ladder with { ReturnDueDay = 1 };
        Assert.Equal(new DateOnly(2027, 1, 4), firstOfMonth.DueOn(new FinancialQuarter(2026, 3), Calendar));
    }

    [Fact]
    public void The_ladder_runs_14_and_3_days_before_on_the_day_1_and_7_after_then_weekly()
    {
        var steps = new List<int>();
        int? step = null;
        for (var i = 0; i < 9; i++)
        {
            step = Ladder.NextStep(step);
            steps.Add(step.Value);
        }

        Assert.Equal([-14, -3, 0, 1, 7, 14, 21, 28, 35], steps);
    }

    [Fact]
    public void Entering_monitoring_schedules_a_return_for_every_quarter_of_the_grant()
    {
        var bid = MonitoredFrom(new DateOnly(2026, 10, 1), new DateOnly(2027, 3, 31));
        Assert.Equal([("2026q3", new DateOnly(2027, 1, 18), false), ("2026q4", new DateOnly(2027, 4, 19), true)], bid.Returns.Select(r => (r.Quarter, r.DueOn, r.IsFinal)));
        Assert.All(bid.Returns, r => Assert.Equal(ReturnStatus.Awaited, r.Status));
        var first = bid.Timers.Single(t => t.Subject == "2026q3");
        Assert.Equal((-14, new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero)), (first.Step, first.DueAt));
    }

    [Fact]
    public void The_whole_ladder_fires_before_and_after_the_due_date_until_the_return_arrives()
    {
        var bid = MonitoredFrom(new DateOnly(2026, 10, 1), new DateOnly(2027, 3, 31));
        var fired = new List<(int Step, string Template, ReturnEscalation Level)>();
        var notified = new List<Notify>();
        for (var i = 0; i < 8; i++)
        {
            var timer = bid.Timers.Where(t => t.Subject == "2026q3").MinBy(t => t.DueAt)!;
            var decision = Workflow.Decide(bid, new FireTimer(Actor.System, timer.Id), timer.DueAt).Accept();
            bid = decision.State;
            var reminder = decision.Events.OfType<ReturnReminderSent>().Single();
            fired.Add((reminder.DaysFromDue, decision.Effects.OfType<Notify>().First(n => n.To == Audience.Applicant).Template, bid.Return("2026q3")!.Escalation));
            notified.AddRange(decision.Effects.OfType<Notify>());
        }

        Assert.Equal(
        [
            (-14, "return-due-soon", ReturnEscalation.None), (-3, "return-due-soon", ReturnEscalation.None), (0, "return-due-today", ReturnEscalation.None),
            (1, "return-overdue", ReturnEscalation.Coordinators), (7, "return-overdue", ReturnEscalation.Coordinators), (14, "return-overdue", ReturnEscalation.Hce),
            (21, "return-overdue", ReturnEscalation.Hce), (28, "return-overdue", ReturnEscalation.Hce),
        ], fired);
        Assert.Single(notified, n => n.To == Audience.Coordinators && n.Template == "return-overdue-coordinators");
        Assert.Single(notified, n => n.To == Audience.HceMembers && n.Template == "return-overdue-hce");
        Assert.Equal(8, bid.Return("2026q3")!.RemindersSent);
        var next = bid.Timers.Single(t => t.Subject == "2026q3");
        Assert.Equal(35, next.Step);

        var submitted = Workflow.Decide(bid, new SubmitReturn(Applicant, "2026q3", Report(9_000m) with { Forecasts = [new QuarterForecast("2026q4", new Funding(4_000m, 0m))] }), next.DueAt.AddDays(-1)).Accept();
        Assert.DoesNotContain(submitted.State.Timers, t => t.Subject == "2026q3");
        Assert.Contains(new CancelTimer(next.Id), submitted.Effects);
        Assert.IsType<Ignored>(Workflow.Decide(submitted.State, new FireTimer(Actor.System, next.Id), next.DueAt));
        Assert.Contains(submitted.State.Timers, t => t.Subject == "2026q4");
    }

    [Fact]
    public void A_reminder_fired_late_speaks_for_where_the_ladder_is_now_and_escalates_at_once()
    {
        var bid = MonitoredFrom(new DateOnly(2026, 10, 1), new DateOnly(2027, 3, 31));
        var first = bid.Timers.Single(t => t.Subject == "2026q3");
        var late = Workflow.Decide(bid, new FireTimer(Actor.System, first.Id), new DateTimeOffset(2027, 2, 25, 12, 0, 0, TimeSpan.Zero)).Accept();
        Assert.Equal(35, late.Events.OfType<ReturnReminderSent>().Single().DaysFromDue);
        Assert.Equal([ReturnEscalation.Coordinators, ReturnEscalation.Hce], late.Events.OfType<ReturnEscalated>().Select(e => e.Level));
        Assert.Equal(42, late.State.Timers.Single(t => t.Subject == "2026q3").Step);
    }

    [Fact]
    public void The_childrens_services_transformation_row_reproduces_the_progress_report()
    {
        var bid = Draft() with
        {
            Stage = BidStage.Monitoring,
            ApprovedAmount = new Funding(85_000m, 0m),
            Returns =
            [
                new("2010q4", new DateOnly(2011, 4, 18), false, ReturnStatus.Accepted, Report(19_550.95m) with { Forecasts = [] }),
                new("2011q1", new DateOnly(2011, 7, 18), false, ReturnStatus.Submitted, Report(46_086.16m) with
                {
                    Forecasts = [new("2011q2", new Funding(12_675.25m, 0m)), new("2011q3", Funding.Zero), new("2011q4", Funding.Zero)],
                    IdentifiedUnderspend = new Funding(6_687.64m, 0m),
                }),
                new("2011q2", new DateOnly(2011, 10, 17), false),
            ],
        };
        Assert.Equal(new Funding(65_637.11m, 0m), bid.SpendToDate());
        Assert.Equal(new Funding(6_687.64m, 0m), bid.ProjectedUnderspend("2011q1"));
        Assert.Equal(new Funding(19_550.95m, 0m), bid.SpendToDate("2010q4"));
    }

    [Fact]
    public void A_return_is_checked_before_it_is_taken()
    {
        var bid = In(BidStage.Monitoring);
        Assert.Contains("whole pence", Workflow.Decide(bid, new SubmitReturn(Applicant, "2026q2", Report(10.001m)), Now).Refuse().Reason, StringComparison.Ordinal);
        Assert.Contains("later quarters", Workflow.Decide(bid, new SubmitReturn(Applicant, "2026q2", Report() with { Forecasts = [new("2026q1", Funding.Zero)] }), Now).Refuse().Reason, StringComparison.Ordinal);
        Assert.Contains("not attached", Workflow.Decide(bid, new SubmitReturn(Applicant, "2026q2", Report() with { EvidenceDocumentIds = ["doc-missing"] }), Now).Refuse().Reason, StringComparison.Ordinal);
        Assert.Contains("once the quarter ends", Workflow.Decide(bid, new SubmitReturn(Applicant, "2026q3", Report()), Now).Refuse().Reason, StringComparison.Ordinal);
        Assert.Contains("already been received", Workflow.Decide(bid, new SubmitReturn(Applicant, "2026q1", Report()), Now).Refuse().Reason, StringComparison.Ordinal);
        var withEvidence = Workflow.Decide(bid, new SubmitReturn(Applicant, "2026q2", Report() with { EvidenceDocumentIds = ["doc-business-case"] }), Now).Accept();
        Assert.Equal(ReturnStatus.Submitted, withEvidence.State.Return("2026q2")!.Status);
    }

    [Fact]
    public void Instalments_default_to_one_on_signature_then_one_per_quarter_held_for_its_return_split_to_the_penny()
    {
        var returned = Workflow.Decide(In(BidStage.Contracting), new ReturnSignedContract(Applicant, "doc-signed"), Now).Accept().State;
        var accepted = Workflow.Decide(returned, new AcceptSignedContract(Coordinator), Now).Accept().State;
        Assert.Equal(8, accepted.Instalments.Count);
        Assert.Equal(new Funding(50_903.27m, 0m), accepted.Instalments.Aggregate(Funding.Zero, (sum, i) => sum + i.Amount));
        Assert.All(accepted.Instalments.Take(7), i => Assert.Equal(6_362.90m, i.Amount.Revenue));
        Assert.Equal(6_362.97m, accepted.Instalments[^1].Amount.Revenue);
        Assert.Equal((new DateOnly(2026, 11, 23), (string?)null), (accepted.Instalments[0].DueOn, accepted.Instalments[0].HeldUntilReturn));
        Assert.Equal((new DateOnly(2027, 4, 19), "2026q4"), (accepted.Instalments[1].DueOn, accepted.Instalments[1].HeldUntilReturn));
    }

    [Fact]
    public void Payments_wait_for_held_returns_stop_while_a_return_is_overdue_and_never_exceed_the_award()
    {
        var bid = In(BidStage.Monitoring);
        var overdue = Workflow.Decide(bid, new RecordPayment(Finance, 1, new Funding(25_000m, 0m), new DateOnly(2026, 11, 20), "BACS 1"), Now).Refuse();
        Assert.Equal("Payments are held while the 2026/27 Q2 return is overdue (it was due on 19 October 2026).", overdue.Reason);

        var inTime = bid with { Returns = [.. bid.Returns.Select(r => r.Quarter == "2026q2" ? r with { Status = ReturnStatus.Submitted, Report = Report() } : r)] };
        var first = Workflow.Decide(inTime, new RecordPayment(Finance, 1, new Funding(25_000m, 0m), new DateOnly(2026, 11, 20), "BACS 1"), Now).Accept().State;
        Assert.Contains("more than is left", Workflow.Decide(first, new RecordPayment(Finance, 1, new Funding(0.01m, 0m), new DateOnly(2026, 11, 20), "BACS 2"), Now).Refuse().Reason, StringComparison.Ordinal);
        Assert.Equal("Instalment 2 is held until the 2026/27 Q2 return is accepted.",
            Workflow.Decide(first, new RecordPayment(Finance, 2, new Funding(100m, 0m), new DateOnly(2026, 11, 20), "BACS 2"), Now).Refuse().Reason);

        var released = Workflow.Decide(first, new AcceptReturn(Coordinator, "2026q2"), Now).Accept();
        Assert.Equal(new InstalmentReleased(2, "2026q2") { At = Now, By = Coordinator.UserId }, released.Events.OfType<InstalmentReleased>().Single());
        var paid = Workflow.Decide(released.State, new RecordPayment(Finance, 2, new Funding(25_903.27m, 0m), new DateOnly(2026, 11, 20), "BACS 2"), Now).Accept().State;
        Assert.Equal(new Funding(50_903.27m, 0m), paid.Paid);
        var extra = paid with { Instalments = paid.Instalments.Add(new Instalment(3, new DateOnly(2027, 1, 1), new Funding(1m, 0m), null)) };
        Assert.Equal("Payments cannot exceed the award.", Workflow.Decide(extra, new RecordPayment(Finance, 3, new Funding(1m, 0m), new DateOnly(2026, 11, 20), "BACS 3"), Now).Refuse().Reason);
        Assert.Contains("must match", Workflow.Decide(In(BidStage.Monitoring), new SetInstalments(Coordinator, [new Instalment(1, new DateOnly(2026, 12, 1), new Funding(50_000m, 0m), null)]), Now).Refuse().Reason, StringComparison.Ordinal);
    }

    private static Accepted Agreed(BidState bid, Variation variation)
    {
        var proposed = Workflow.Decide(bid, new ProposeVariation(Coordinator, variation), Now).Accept();
        Assert.Contains(new Notify(Audience.HceMembers, "variation-proposed"), proposed.Effects);
        return Workflow.Decide(proposed.State, new DecideVariation(Hce, true, null), Now).Accept();
    }

    [Fact]
    public void Variations_change_the_award_with_the_money_moving_in_the_same_step()
    {
        var bid = In(BidStage.Monitoring);
        var reduced = Agreed(bid, new Variation(VariationKind.ChangeAward, "Smaller pilot", NewAward: new Funding(45_000m, 0m)));
        Assert.Equal(new Funding(45_000m, 0m), reduced.State.ApprovedAmount);
        Assert.Equal([new BudgetMove("2010-11-laa-reward-grant", new Funding(-5_903.27m, 0m))], reduced.Moves);

        var increased = Agreed(bid, new Variation(VariationKind.ChangeAward, "Extra training", NewAward: new Funding(55_000m, 0m)));
        Assert.Equal([new BudgetMove("2010-11-laa-reward-grant", new Funding(4_096.73m, 0m))], increased.Moves);

        var moved = Agreed(bid, new Variation(VariationKind.MoveUnderspend, "Underspend to Circles of Support", Amount: new Funding(10_000m, 0m), ToBidId: "circles-of-support"));
        Assert.Equal(new Funding(40_903.27m, 0m), moved.State.ApprovedAmount);
        Assert.Equal([new BudgetMove("2010-11-laa-reward-grant", new Funding(-10_000m, 0m))], moved.Moves);
        Assert.Contains(new TransferFunding("circles-of-support", "2010-11-laa-reward-grant", new Funding(10_000m, 0m)), moved.Effects);

        var relined = Agreed(bid with { Returns = [.. bid.Returns.Select(r => r with { Status = ReturnStatus.Accepted, Report = Report() })] },
            new Variation(VariationKind.ChangeBudgetLine, "Pump priming underspend to be used first", ToLineId: "2009-10-pump-priming"));
        var leftToSpend = 50_903.27m - 36_000m;
        Assert.Equal(
            [new BudgetMove("2010-11-laa-reward-grant", new Funding(-leftToSpend, 0m)), new BudgetMove("2009-10-pump-priming", new Funding(leftToSpend, 0m))],
            relined.Moves);
        Assert.Equal("2009-10-pump-priming", relined.State.BudgetLineId);

        var refused = Workflow.Decide(bid, new ProposeVariation(Coordinator, new Variation(VariationKind.MoveUnderspend, "Too much", Amount: new Funding(40_000m, 0m), ToBidId: "x")), Now).Refuse();
        Assert.Equal("Only unspent award can move to another project.", refused.Reason);

        var declined = Workflow.Decide(Workflow.Decide(bid, new ProposeVariation(Coordinator, new Variation(VariationKind.ChangeMilestones, "New plan", Milestones: "Mapping by June")), Now).Accept().State,
            new DecideVariation(Hce, false, " "), Now).Refuse();
        Assert.Contains("reason", declined.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_end_date_reschedules_the_returns_and_the_end_of_the_grant()
    {
        var bid = MonitoredFrom(new DateOnly(2026, 10, 1), new DateOnly(2027, 3, 31));
        var longer = Agreed(bid, new Variation(VariationKind.ChangeEndDate, "Delayed start", NewEndDate: new DateOnly(2027, 9, 30))).State;
        Assert.Equal(["2026q3", "2026q4", "2027q1", "2027q2"], longer.Returns.Select(r => r.Quarter));
        Assert.Equal(["2027q2"], longer.Returns.Where(r => r.IsFinal).Select(r => r.Quarter));
        Assert.Equal(new DateTimeOffset(2027, 10, 1, 9, 0, 0, TimeSpan.FromHours(1)), longer.Timers.Single(t => t.Purpose == TimerPurpose.GrantPeriodEnds).DueAt);
        var shorter = Agreed(longer, new Variation(VariationKind.ChangeEndDate, "Finished early", NewEndDate: new DateOnly(2026, 12, 31))).State;
        Assert.Equal(["2026q3"], shorter.Returns.Select(r => r.Quarter));
        Assert.DoesNotContain(shorter.Timers, t => t.Subject is "2026q4" or "2027q1" or "2027q2");
    }
}

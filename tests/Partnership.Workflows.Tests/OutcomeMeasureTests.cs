using System.Collections.Immutable;
using Partnership.Workflows.Grants;
using Partnership.Workflows.Outcomes;

namespace Partnership.Workflows.Tests;

/// <summary>Appendix 4's measures: a year's figure, its rating by the coordinator's rule, and the leads' reminder ladder.</summary>
public class OutcomeMeasureTests
{
    private static readonly WorkingCalendar Calendar = new([new DateOnly(2012, 1, 2)], TimeZoneInfo.Utc);

    private static PartnershipMeasure StartUps(RagRule rule) => new(
        "OM13", "Worklessness/Welfare", "Strong small and medium enterprise in Harrow", "Increase business start ups", "Existing data",
        [], [new MeasureLead("Andrew Trehern", "andrew-trehern"), new MeasureLead("Harrow In Business")],
        2010, 400m, ImmutableSortedDictionary<int, decimal>.Empty.Add(2011, 440m).Add(2012, 480m), rule, new FinancialQuarter(2011, 3));

    private static MeasureValue Value(string quarter, decimal value) => new(quarter, value, "", "andrew-trehern", DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_count_of_what_happened_totals_its_quarters_and_is_rated_against_the_year_s_target()
    {
        var measure = StartUps(RagRule.Default with { YearFigure = YearFigure.TotalOfQuarters });

        var years = MeasureProgress.Years(measure, [Value("2011q3", 120m), Value("2011q4", 290m), Value("2012q1", 130m)]);

        Assert.Equal(
            [new MeasureYear(2011, 440m, 410m, 2, Rag.Amber), new MeasureYear(2012, 480m, 130m, 1, Rag.Red)],
            years);
        Assert.Equal(["2011/12", "2012/13"], years.Select(y => y.Label));
    }

    [Fact]
    public void A_rate_takes_its_latest_quarter_and_lower_can_be_better()
    {
        var measure = StartUps(new RagRule(Direction.LowerIsBetter, YearFigure.LatestQuarter, 5m));

        Assert.Equal(Rag.Green, MeasureProgress.Years(measure, [Value("2011q4", 430m), Value("2011q3", 500m)])[0].Rating);
        Assert.Equal(Rag.Amber, MeasureProgress.Years(measure, [Value("2011q3", 500m), Value("2011q4", 462m)])[0].Rating);
        Assert.Equal(Rag.Red, MeasureProgress.Years(measure, [Value("2011q3", 462.01m)])[0].Rating);
    }

    [Fact]
    public void A_year_without_a_target_or_a_figure_is_shown_but_not_rated()
    {
        var measure = StartUps(RagRule.Default);

        var years = MeasureProgress.Years(measure, [Value("2013q1", 10m)]);

        Assert.Equal([null, null, null], years.Select(y => y.Rating));
        Assert.Equal([2011, 2012, 2013], years.Select(y => y.Year));
        Assert.Equal([null, null, 10m], years.Select(y => y.Actual));
    }

    [Theory]
    [InlineData("2011-12-31", null, null)]
    [InlineData("2012-01-03", -14, ReturnEscalation.None)]
    [InlineData("2012-01-17", 0, ReturnEscalation.None)]
    [InlineData("2012-01-18", 1, ReturnEscalation.Coordinators)]
    [InlineData("2012-02-01", 14, ReturnEscalation.Hce)]
    [InlineData("2012-03-30", 70, ReturnEscalation.Hce)]
    public void Leads_climb_the_returns_ladder_until_the_quarter_s_figure_is_in(string today, int? step, ReturnEscalation? escalation)
    {
        var measure = StartUps(RagRule.Default);

        var due = MeasureReminders.Due(measure, [], MonitoringSettings.Defaults, Calendar, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(
            step is null ? [] : [new MeasureReminder("OM13", new FinancialQuarter(2011, 3), new DateOnly(2012, 1, 17), step.Value, escalation!.Value)],
            due);
    }

    [Fact]
    public void A_quarter_reported_is_not_chased_and_a_measure_nobody_in_the_directory_leads_is_never_chased()
    {
        var measure = StartUps(RagRule.Default);
        var today = new DateOnly(2012, 7, 20);

        var due = MeasureReminders.Due(measure, [Value("2011q3", 1m), Value("2012q1", 1m)], MonitoringSettings.Defaults, Calendar, today);

        Assert.Equal([new FinancialQuarter(2011, 4)], due.Select(d => d.Quarter));
        Assert.Empty(MeasureReminders.Due(measure with { Leads = [new MeasureLead("Harrow In Business")] }, [], MonitoringSettings.Defaults, Calendar, today));
    }

    [Theory]
    [InlineData("OM0", "A measure's id is OM and its number, such as OM13.")]
    [InlineData("om13", "A measure's id is OM and its number, such as OM13.")]
    [InlineData("OM13", null)]
    public void A_measure_s_id_is_the_paper_s_numbering(string id, string? problem) =>
        Assert.Equal(problem, (StartUps(RagRule.Default) with { Id = id }).Problem());

    [Fact]
    public void Targets_outside_the_ten_years_after_the_baseline_and_sub_figure_amounts_are_refused()
    {
        var measure = StartUps(RagRule.Default);

        Assert.Equal("Targets are for up to 10 financial years after the baseline year.", (measure with { Targets = measure.Targets.Add(2010, 1m) }).Problem());
        Assert.Equal(MeasureValue.FigureRule, (measure with { Baseline = 0.00001m }).Problem());
        Assert.Equal(
            "The amber margin is a percentage of the target from 0 to 100, to at most 2 decimal places.",
            (measure with { Rule = RagRule.Default with { AmberMarginPercent = 100.5m } }).Problem());
    }
}

using Partnership.Workflows.Grants;

namespace Partnership.Workflows.Outcomes;

/// <summary>
/// Where a quarter's figure stands on the reminder ladder today: the latest step reached (days from the due date)
/// and how far lateness has been escalated.
/// </summary>
public sealed record MeasureReminder(string MeasureId, FinancialQuarter Quarter, DateOnly DueOn, int Step, ReturnEscalation Escalation);

/// <summary>
/// The quarterly returns' reminder ladder, applied to the partnership's measures: a figure is due on the returns'
/// due day after each quarter from the measure's first, and its leads are reminded on the same days until it is in.
/// </summary>
public static class MeasureReminders
{
    public static IReadOnlyList<MeasureReminder> Due(PartnershipMeasure measure, IEnumerable<MeasureValue> values, MonitoringSettings ladder, WorkingCalendar calendar, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(ladder);
        if (!measure.Leads.Any(l => l.UserId is not null))
        {
            return [];
        }

        var reported = values.Select(v => v.Quarter).ToHashSet(StringComparer.Ordinal);
        var due = new List<MeasureReminder>();
        for (var quarter = measure.ReportingFrom; quarter.End < today; quarter = quarter.Following())
        {
            if (reported.Contains(quarter.Key))
            {
                continue;
            }

            var dueOn = ladder.DueOn(quarter, calendar);
            if (LatestStep(ladder, today.DayNumber - dueOn.DayNumber) is { } step)
            {
                var escalation = step >= ladder.FlagForHceAfterDays ? ReturnEscalation.Hce
                    : step >= ladder.EscalateToCoordinatorsAfterDays ? ReturnEscalation.Coordinators
                    : ReturnEscalation.None;
                due.Add(new MeasureReminder(measure.Id, quarter, dueOn, step, escalation));
            }
        }

        return due;
    }

    private static int? LatestStep(MonitoringSettings ladder, int daysFromDue)
    {
        int? reached = null;
        for (var step = ladder.NextStep(null); step <= daysFromDue; step = ladder.NextStep(step))
        {
            reached = step;
        }

        return reached;
    }
}

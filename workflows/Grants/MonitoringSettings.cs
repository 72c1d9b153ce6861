using System.Collections.Immutable;

namespace Partnership.Workflows.Grants;

/// <summary>
/// A fund's monitoring calendar and reminder ladder. Returns fall due on <see cref="ReturnDueDay"/> of the month after
/// a quarter ends (moved to the next working day); reminders go so many days before, on the day and after, then every
/// <see cref="RepeatEveryDays"/> until the return arrives; lateness is escalated to coordinators and then flagged for HCE.
/// </summary>
public sealed record MonitoringSettings(
    int ReturnDueDay,
    ImmutableArray<int> RemindDaysBefore,
    bool RemindOnDueDate,
    ImmutableArray<int> RemindDaysAfter,
    int RepeatEveryDays,
    int EscalateToCoordinatorsAfterDays,
    int FlagForHceAfterDays)
{
    public static MonitoringSettings Defaults { get; } = new(17, [14, 3], true, [1, 7], 7, 1, 14);

    public string? Problem()
    {
        if (RemindDaysBefore.IsDefault || RemindDaysAfter.IsDefault)
        {
            return "Give the days to remind before and after the due date (an empty list for none).";
        }

        if (ReturnDueDay is < 1 or > 28)
        {
            return "Returns fall due on a day from 1 to 28 of the month after the quarter.";
        }

        if (RemindDaysBefore.Length > 10 || RemindDaysAfter.Length > 10)
        {
            return "Give at most 10 reminder days before and 10 after the due date.";
        }

        if (RemindDaysBefore.Any(d => d is < 1 or > 60) || RemindDaysAfter.Any(d => d is < 1 or > 90))
        {
            return "Reminders go 1 to 60 days before and 1 to 90 days after the due date.";
        }

        return RepeatEveryDays is < 1 or > 31 || EscalateToCoordinatorsAfterDays is < 1 or > 180 || FlagForHceAfterDays < EscalateToCoordinatorsAfterDays || FlagForHceAfterDays > 365
            ? "Repeat reminders every 1 to 31 days, escalate to coordinators 1 to 180 days late, and flag for HCE no sooner than that and within a year."
            : null;
    }

    /// <summary>
    /// The ladder step that follows <paramref name="after"/> (days relative to the due date, null for the first):
    /// the fixed steps and the escalation days in order, then every <see cref="RepeatEveryDays"/> for as long as it takes.
    /// </summary>
    public int NextStep(int? after)
    {
        var fixedSteps = RemindDaysBefore.Select(d => -d)
            .Concat(RemindOnDueDate ? [0] : [])
            .Concat(RemindDaysAfter)
            .Append(EscalateToCoordinatorsAfterDays)
            .Append(FlagForHceAfterDays)
            .Distinct()
            .Order()
            .ToList();
        var next = fixedSteps.FirstOrDefault(s => after is null || s > after.Value, int.MinValue);
        if (next != int.MinValue)
        {
            return next;
        }

        var last = fixedSteps[^1];
        var from = Math.Max(after ?? last, last);
        return from + RepeatEveryDays - ((from - last) % RepeatEveryDays);
    }

    public DateOnly DueOn(FinancialQuarter quarter, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var monthAfter = quarter.End.AddDays(1);
        return calendar.NextWorkingDayOnOrAfter(new DateOnly(monthAfter.Year, monthAfter.Month, ReturnDueDay));
    }
}

namespace Partnership.Workflows;

/// <summary>Working days in England and Wales: Monday to Friday, less the bank holidays it is given.</summary>
public sealed class WorkingCalendar
{
    private readonly HashSet<DateOnly> _holidays;

    public WorkingCalendar(IEnumerable<DateOnly> bankHolidays, TimeZoneInfo timeZone)
    {
        _holidays = [.. bankHolidays];
        TimeZone = timeZone;
    }

    /// <summary>Deadlines fall at local times in the partnership's own time zone, so a 5pm deadline stays 5pm across clock changes.</summary>
    public TimeZoneInfo TimeZone { get; }

    public bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(day);

    public DateOnly AddWorkingDays(DateOnly from, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var day = from;
        var remaining = workingDays;
        while (remaining > 0)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                remaining--;
            }
        }

        return day;
    }

    public DateOnly NextWorkingDayOnOrAfter(DateOnly day)
    {
        while (!IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    public DateTimeOffset At(DateOnly day, TimeOnly localTime)
    {
        var local = day.ToDateTime(localTime, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }
}

using System.Globalization;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Components;

/// <summary>
/// What MOJ's sortable table sorts a cell by, where the cell's own markup would sort wrongly: it compares numbers
/// as numbers and everything else as text, so a date becomes yyyyMMdd, a stage its place in the lifecycle, and a
/// linked name its plain text rather than the link's address.
/// </summary>
public static class SortBy
{
    public static string Date(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>A due moment to the minute; none sorts after every date, as the server lists it.</summary>
    public static string Due(DateTimeOffset? at) => (at ?? DateTimeOffset.MaxValue).UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    /// <summary>Whole minutes from <paramref name="at"/> to <paramref name="now"/>: how long something has waited.</summary>
    public static string Since(DateTimeOffset? at, DateTimeOffset now) =>
        at is null ? "0" : ((long)(now - at.Value).TotalMinutes).ToString(CultureInfo.InvariantCulture);

    public static string Money(decimal amount) => Display.Field(amount);

    public static string Stage(BidStage stage) => ((int)stage).ToString(CultureInfo.InvariantCulture);
}

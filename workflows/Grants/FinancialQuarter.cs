using System.Globalization;

namespace Partnership.Workflows.Grants;

/// <summary>A quarter of the UK financial year (April to March): Q1 is April to June of <see cref="Year"/>, Q4 January to March of the year after.</summary>
public readonly record struct FinancialQuarter(int Year, int Number)
{
    public DateOnly Start => new DateOnly(Year, 4, 1).AddMonths(3 * (Number - 1));

    public DateOnly End => Start.AddMonths(3).AddDays(-1);

    /// <summary>As the papers write it: "2011/12 Q2".</summary>
    public string Label => string.Create(CultureInfo.InvariantCulture, $"{Year}/{(Year + 1) % 100:D2} Q{Number}");

    /// <summary>A stable, sortable key: "2011q2".</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Year}q{Number}");

    public FinancialQuarter Following() => Number == 4 ? new(Year + 1, 1) : new(Year, Number + 1);

    public static FinancialQuarter Containing(DateOnly day)
    {
        var year = day.Month >= 4 ? day.Year : day.Year - 1;
        var monthsIn = ((day.Month - 4) + 12) % 12;
        return new(year, (monthsIn / 3) + 1);
    }

    public static FinancialQuarter Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TryParse(key, out var quarter) ? quarter : throw new FormatException($"'{key}' is not a quarter key such as 2011q2.");
    }

    /// <summary>A key such as 2011q2, of a year from <see cref="Dates.Earliest"/> to <see cref="Dates.Latest"/>.</summary>
    public static bool TryParse([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? key, out FinancialQuarter quarter)
    {
        quarter = default;
        var parts = key?.Split('q');
        if (parts is not { Length: 2 } || parts[0].Length != 4 || parts[1].Length != 1
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number is < 1 or > 4 || year < Dates.Earliest.Year || year >= Dates.Latest.Year)
        {
            return false;
        }

        quarter = new(year, number);
        return true;
    }

    /// <summary>Every quarter that overlaps the period, in order.</summary>
    public static IReadOnlyList<FinancialQuarter> Covering(DateOnly from, DateOnly to)
    {
        var quarters = new List<FinancialQuarter>();
        for (var quarter = Containing(from); quarter.Start <= to; quarter = quarter.Following())
        {
            quarters.Add(quarter);
        }

        return quarters;
    }
}

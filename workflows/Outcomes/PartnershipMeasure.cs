using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Partnership.Workflows.Grants;

namespace Partnership.Workflows.Outcomes;

public enum Direction
{
    HigherIsBetter,
    LowerIsBetter,
}

/// <summary>How a year's quarters make its figure: a rate or a count of what stands (the latest), or a count of what happened (the total).</summary>
public enum YearFigure
{
    LatestQuarter,
    TotalOfQuarters,
}

/// <summary>
/// The coordinator's rule for rating a year: green when its figure meets the target, amber when it misses by no more
/// than <see cref="AmberMarginPercent"/> of the target, red beyond that.
/// </summary>
public sealed record RagRule(Direction Direction, YearFigure YearFigure, decimal AmberMarginPercent)
{
    public static RagRule Default { get; } = new(Direction.HigherIsBetter, YearFigure.LatestQuarter, 10m);

    public string? Problem() =>
        !Enum.IsDefined(Direction) || !Enum.IsDefined(YearFigure) ? "Say whether higher or lower is better, and how a year's quarters make its figure."
        : AmberMarginPercent is < 0m or > 100m || decimal.Round(AmberMarginPercent, 2) != AmberMarginPercent ? "The amber margin is a percentage of the target from 0 to 100, to at most 2 decimal places."
        : null;

    public Rag Rate(decimal actual, decimal target)
    {
        var shortBy = Direction == Direction.HigherIsBetter ? target - actual : actual - target;
        if (shortBy <= 0m)
        {
            return Rag.Green;
        }

        return shortBy <= Math.Abs(target) * AmberMarginPercent / 100m ? Rag.Amber : Rag.Red;
    }
}

/// <summary>Who leads a measure: a person in the directory (who records its values), or a partner named as the paper names it.</summary>
public sealed record MeasureLead(string Name, string? UserId = null);

/// <summary>
/// One of the partnership's outcome measures (Appendix 4 of the progress report): what it measures under which
/// priority and outcome, its baseline, a target for each financial year (keyed by the year it starts), who leads it,
/// and the rule that rates each year. Values are reported quarter by quarter from <see cref="ReportingFrom"/>.
/// </summary>
public sealed partial record PartnershipMeasure(
    string Id,
    string Priority,
    string Outcome,
    string Title,
    string Description,
    ImmutableArray<string> Partners,
    ImmutableArray<MeasureLead> Leads,
    int BaselineYear,
    decimal? Baseline,
    ImmutableSortedDictionary<int, decimal> Targets,
    RagRule Rule,
    FinancialQuarter ReportingFrom)
{
    public const int MaxText = 2000;

    /// <summary>OM13 sorts after OM2, as the paper numbers them.</summary>
    public int Number => int.Parse(Id.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture);

    public bool IsLedBy(string userId) => Leads.Any(l => l.UserId == userId);

    public static bool IsId(string? id) => id is not null && IdPattern().IsMatch(id);

    public string? Problem()
    {
        if (!IsId(Id))
        {
            return "A measure's id is OM and its number, such as OM13.";
        }

        if (new[] { Priority, Outcome, Title }.Any(string.IsNullOrWhiteSpace))
        {
            return "Give the measure's priority, outcome and title.";
        }

        if (new[] { Priority, Outcome, Title }.Any(t => t.Length > 200) || (Description ?? "").Length > MaxText)
        {
            return $"Keep the priority, outcome and title to 200 characters and the description to {MaxText}.";
        }

        if (Partners.IsDefault || Leads.IsDefault || Targets is null || Rule is null)
        {
            return "Give the measure's partners, leads, targets and rule (an empty list for none).";
        }

        if (Partners.Length > 20 || Leads.Length > 10 || Partners.Any(p => string.IsNullOrWhiteSpace(p) || p.Length > 200) || Leads.Any(l => string.IsNullOrWhiteSpace(l?.Name) || l.Name.Length > 200))
        {
            return "Name at most 20 partners and 10 leads, each in at most 200 characters.";
        }

        if (BaselineYear < Dates.Earliest.Year || BaselineYear >= Dates.Latest.Year)
        {
            return "The baseline year is a financial year such as 2010/11.";
        }

        if (Targets.Count > 10 || Targets.Keys.Any(y => y <= BaselineYear || y > BaselineYear + 10))
        {
            return "Targets are for up to 10 financial years after the baseline year.";
        }

        return new[] { Baseline }.Concat(Targets.Values.Select(v => (decimal?)v)).Any(v => v is { } n && !MeasureValue.IsFigure(n))
            ? MeasureValue.FigureRule
            : Rule.Problem();
    }

    [GeneratedRegex("^OM[1-9][0-9]{0,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

/// <summary>A lead's figure for one quarter, with what they say about it.</summary>
public sealed record MeasureValue(string Quarter, decimal Value, string Comment, string RecordedBy, DateTimeOffset RecordedAt)
{
    public const string FigureRule = "A figure is a number from -1,000,000,000 to 1,000,000,000 with at most 4 decimal places.";

    public FinancialQuarter Period() => FinancialQuarter.Parse(Quarter);

    public static bool IsFigure(decimal value) => Math.Abs(value) <= 1_000_000_000m && decimal.Round(value, 4) == value;
}

/// <summary>A financial year of a measure as Appendix 4 sets it out: the target, the figure so far and its rating.</summary>
public sealed record MeasureYear(int Year, decimal? Target, decimal? Actual, int QuartersReported, Rag? Rating)
{
    public string Label => LabelOf(Year);

    /// <summary>A financial year as the papers write it: "2011/12".</summary>
    public static string LabelOf(int year) => string.Create(CultureInfo.InvariantCulture, $"{year}/{(year + 1) % 100:D2}");
}

public static class MeasureProgress
{
    /// <summary>Every year with a target or a reported quarter, in order; a year is rated once it has both.</summary>
    public static IReadOnlyList<MeasureYear> Years(PartnershipMeasure measure, IEnumerable<MeasureValue> values)
    {
        ArgumentNullException.ThrowIfNull(measure);
        var byYear = values.GroupBy(v => v.Period().Year).ToDictionary(g => g.Key, g => g.OrderBy(v => v.Period().Number).ToList());
        return
        [
            .. measure.Targets.Keys.Union(byYear.Keys).Order().Select(year =>
            {
                var reported = byYear.GetValueOrDefault(year) ?? [];
                decimal? actual = reported.Count == 0 ? null
                    : measure.Rule.YearFigure == YearFigure.TotalOfQuarters ? reported.Sum(v => v.Value) : reported[^1].Value;
                decimal? target = measure.Targets.TryGetValue(year, out var t) ? t : null;
                return new MeasureYear(year, target, actual, reported.Count, actual is { } a && target is { } goal ? measure.Rule.Rate(a, goal) : null);
            }),
        ];
    }
}

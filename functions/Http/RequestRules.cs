using Partnership.Workflows;

namespace Partnership.Functions.Http;

/// <summary>The checks every command's request makes on its fields, each adding the field's first mistake in words.</summary>
public static class RequestRules
{
    public static readonly string AmountRule = $"Amounts are pounds and pence, not negative, at most {Money.Pounds(Money.Ceiling)}, e.g. 50903.27.";

    public const string QuarterRule = "Name the quarter as its year and number, e.g. 2011q2 for July to September 2011.";

    public static void Require(Dictionary<string, string[]> errors, string field, bool wrong, string message)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (wrong && !errors.ContainsKey(field))
        {
            errors[field] = [message];
        }
    }

    /// <summary>An optional amount: when given, a real amount of money.</summary>
    public static void Amount(Dictionary<string, string[]> errors, string field, decimal? amount) =>
        Require(errors, field, amount is { } a && !Money.IsAmount(a), AmountRule);

    /// <summary>An optional id: when given, one that could name something stored.</summary>
    public static void Id(Dictionary<string, string[]> errors, string field, string? id) =>
        Require(errors, field, id is not null && !Ids.IsSafe(id), Ids.Rule);

    public static void Count<T>(Dictionary<string, string[]> errors, string field, IReadOnlyCollection<T>? items, int max) =>
        Require(errors, field, items?.Count > max, $"Give at most {max} of these.");

    public static void Length(Dictionary<string, string[]> errors, string field, string? text, int max) =>
        Require(errors, field, text?.Length > max, $"Keep this to {max:N0} characters.");

    /// <summary>An enum by one of its names only; numbers (which <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> takes) are refused.</summary>
    public static bool TryParseName<T>(string? text, out T value)
        where T : struct, Enum
    {
        value = default;
        return text is not null && Enum.GetNames<T>().Contains(text.Trim(), StringComparer.OrdinalIgnoreCase) && Enum.TryParse(text.Trim(), ignoreCase: true, out value);
    }

    public static void Date(Dictionary<string, string[]> errors, string field, DateOnly? date) =>
        Require(errors, field, date is { } d && !Dates.IsPlausible(d), $"Give a date from {Dates.Earliest.Year} to {Dates.Latest.Year}.");
}

using System.Globalization;

namespace Partnership.Functions.Pages.Components;

/// <summary>The GOV.UK date input's three fields read as one date, or an error that says what is wrong with them.</summary>
public static class DateField
{
    public static DateOnly? Read(string? day, string? month, string? year, string field, string label, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(day) && string.IsNullOrWhiteSpace(month) && string.IsNullOrWhiteSpace(year))
        {
            return null;
        }

        if (int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var d)
            && int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            && int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            && y is >= 1900 and <= 9999 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m))
        {
            return new DateOnly(y, m, d);
        }

        errors[field] = [$"{label} must be a real date, like 27 3 2027."];
        return null;
    }
}

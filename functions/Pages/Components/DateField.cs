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

    /// <summary>The date posted in the GOV.UK date input <paramref name="id"/>, and its three fields to show again.</summary>
    public static DateOnly? Read(Microsoft.AspNetCore.Http.IFormCollection form, string id, string label, Dictionary<string, string[]> errors, out DateInput shown, string legend, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(form);
        string day = form[$"{id}-day"].ToString(), month = form[$"{id}-month"].ToString(), year = form[$"{id}-year"].ToString();
        shown = new DateInput(id, legend, day, month, year, hint);
        return Read(day, month, year, id, label, errors);
    }
}

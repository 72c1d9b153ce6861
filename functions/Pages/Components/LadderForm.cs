using System.Collections.Immutable;
using System.Globalization;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Pages.Components;

/// <summary>
/// The reminder ladder's fields, as a fund's quarterly returns and the outcome framework's figures both set them:
/// <paramref name="Things"/> names what falls due ("Returns"), <paramref name="One"/> one of them ("a return").
/// </summary>
public sealed record LadderFields(MonitoringSettings Settings, string Things, string One);

public static class LadderForm
{
    public static string Days(ImmutableArray<int> days) => string.Join(", ", days);

    /// <summary>The posted ladder, with each field's problem, and the ladder's own problem under its first field.</summary>
    public static MonitoringSettings Read(IFormCollection form, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(errors);
        var ladder = new MonitoringSettings(
            Whole(form, "returnDueDay", errors), DayList(form, "remindBefore", errors), form["remindOnDueDate"] == "true", DayList(form, "remindAfter", errors),
            Whole(form, "repeatEvery", errors), Whole(form, "escalateAfter", errors), Whole(form, "flagAfter", errors));
        if (!errors.ContainsKey("returnDueDay") && ladder.Problem() is { } problem)
        {
            errors["returnDueDay"] = [problem];
        }

        return ladder;
    }

    public static int Whole(IFormCollection form, string field, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(errors);
        if (int.TryParse(form[field], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors[field] = ["Enter a whole number of days, like 10."];
        return 0;
    }

    private static ImmutableArray<int> DayList(IFormCollection form, string field, Dictionary<string, string[]> errors)
    {
        var parts = form[field].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var days = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var day))
            {
                errors[field] = ["Give whole numbers of days separated by commas, like 14, 3, or leave it empty for none."];
                return [];
            }

            days.Add(day);
        }

        return [.. days];
    }
}

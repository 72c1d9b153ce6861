using System.Globalization;

namespace Partnership.Functions.Pages.Components;

public static class MoneyText
{
    /// <summary>
    /// An amount as people type it into a form, "£12,500.00" as well as "12500", read exactly. The styles say what
    /// else the field takes: by default a decimal point and nothing else, so no sign.
    /// </summary>
    public static bool TryParse(string? text, out decimal amount, NumberStyles styles = NumberStyles.AllowDecimalPoint) =>
        decimal.TryParse(Clean(text), styles, CultureInfo.InvariantCulture, out amount);

    /// <summary>The text without the pound sign, thousands commas and spaces around it: empty when nothing was entered.</summary>
    public static string Clean(string? text) => (text ?? "").Replace("£", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Trim();
}

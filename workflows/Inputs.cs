using System.Text;
using System.Text.RegularExpressions;

namespace Partnership.Workflows;

/// <summary>The dates the system accepts: a grant's life, a meeting or a payment falls in this century.</summary>
public static class Dates
{
    public static readonly DateOnly Earliest = new(2000, 1, 1);
    public static readonly DateOnly Latest = new(2100, 12, 31);

    public static bool IsPlausible(DateOnly date) => date >= Earliest && date <= Latest;
}

/// <summary>Free text as people type it: valid Unicode, no control characters but line breaks and tabs, a bounded length.</summary>
public static class FreeText
{
    public static string? Problem(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > maxLength)
        {
            return $"Keep this to {maxLength:N0} characters; it is {text.Length:N0}.";
        }

        if (HasLoneSurrogate(text))
        {
            return "The text is not valid Unicode.";
        }

        return text.EnumerateRunes().Any(r => Rune.IsControl(r) && r.Value is not ('\n' or '\r' or '\t'))
            ? "The text holds control characters; type it again or paste it as plain text."
            : null;
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && (i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1])))
            {
                return true;
            }

            if (char.IsLowSurrogate(text[i]) && (i == 0 || !char.IsHighSurrogate(text[i - 1])))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Identifiers of bids, funds, budget lines, documents and quarters: letters, digits and a few separators, so any
/// of them is safe as a Table Storage key, a blob path segment and a URL segment.
/// </summary>
public static partial class Ids
{
    public const int MaxLength = 128;

    public static bool IsSafe([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) => id is not null && SafeId().IsMatch(id);

    public static string Rule => $"Ids are up to {MaxLength} letters, digits, '-', '_', '.' or ':', starting with a letter or digit.";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}\z")]
    private static partial Regex SafeId();
}

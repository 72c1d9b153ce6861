using System.Text.RegularExpressions;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Components;

/// <summary>A bid's events as its timeline says them: the event's name in words, and the reason or note it carries.</summary>
public static partial class Timelines
{
    public static string Describe(BidEvent bidEvent)
    {
        ArgumentNullException.ThrowIfNull(bidEvent);
        var words = Words().Replace(bidEvent.GetType().Name, " $1").Trim().ToLowerInvariant();
        return char.ToUpperInvariant(words[0]) + words[1..].Replace("hce", "HCE", StringComparison.Ordinal);
    }

    public static string? Detail(BidEvent bidEvent) => bidEvent switch
    {
        ChangesWereRequested changes => changes.Reason,
        DocumentAttached attached => attached.Document.FileName,
        _ => null,
    };

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex Words();
}

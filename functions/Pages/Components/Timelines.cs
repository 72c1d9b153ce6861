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
        MotionPut put => $"{put.Terms.Describe()}; proposed by {put.ProposedBy}" + (put.Interests.IsEmpty ? "" : $"; taking no part: {string.Join(", ", put.Interests.Select(i => $"{i.Key} ({i.Value})"))}"),
        VoteRecorded vote => vote.Reason is { } reason ? $"{vote.Choice}: {reason}" : vote.Choice.ToString(),
        InterestDeclared declared => declared.Nature,
        MotionCarried carried => carried.Outcome,
        MotionSentToMeeting toMeeting => toMeeting.Reason,
        MeetingDecided meeting => $"{meeting.Outcome} at the meeting of {Display.Date(meeting.Held)}, minute {meeting.Minute}: {meeting.Terms.Describe()}",
        _ => null,
    };

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex Words();
}

using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Bids;

/// <summary>
/// What an applicant may see of their own bid: the decisions made on it and their own actions, but not the
/// partnership's internal working (HCE's advice before the Board decides, the motions, votes and declared interests of
/// HCE and Board members, reminders and escalations among staff,
/// variations not yet agreed, delivery reports), and not which officer did what.
/// </summary>
public static class ApplicantView
{
    private static readonly HashSet<Type> StaffOnly =
    [
        typeof(DeliveryReported), typeof(ReminderSent), typeof(DecisionEscalated), typeof(ReturnEscalated),
        typeof(HceRecommendedApproval), typeof(HceRecommendedRejection), typeof(HceDeferred),
        typeof(VariationProposed), typeof(VariationDeclined),
        typeof(MotionPut), typeof(VoteRecorded), typeof(InterestDeclared), typeof(MotionCarried), typeof(MotionSentToMeeting), typeof(MeetingDecided),
    ];

    public const string Partnership = "Partnership Funds";

    public static BidState State(BidState bid)
    {
        ArgumentNullException.ThrowIfNull(bid);
        return bid with { Recommendation = null, Motions = [] };
    }

    public static IEnumerable<TimelineEntry> Timeline(IEnumerable<TimelineEntry> timeline, BidState bid, Actor reader)
    {
        ArgumentNullException.ThrowIfNull(bid);
        ArgumentNullException.ThrowIfNull(reader);
        foreach (var entry in timeline.Where(e => !StaffOnly.Contains(e.Event.GetType())))
        {
            var own = entry.By == reader.UserId || entry.By == bid.ApplicantUserId;
            yield return own ? entry : entry with { By = Partnership, Event = entry.Event with { By = Partnership } };
        }
    }
}

using System.Collections.Immutable;

namespace Partnership.Workflows.Bids;

/// <summary>
/// How long a stage's decision may take, when to remind, and when and to whom to escalate. Per fund, as data.
/// </summary>
public sealed record StageDeadline(int WorkingDays, int ReminderDaysBefore, int EscalationDaysAfter, Audience EscalateTo)
{
    public string? Problem()
    {
        if (WorkingDays is < 1 or > 120)
        {
            return "The decision window must be between 1 and 120 working days.";
        }

        if (ReminderDaysBefore is < 0 or > 60)
        {
            return "Reminders go between 0 and 60 days before the decision is due.";
        }

        return EscalationDaysAfter is < 0 or > 60 ? "Escalation comes between 0 and 60 days after the decision was due." : null;
    }
}

public sealed record FundDeadlines(ImmutableDictionary<BidStage, StageDeadline> Stages)
{
    /// <summary>The partnership's usual practice: HCE decides within 10 working days, is reminded 3 days before and the chair hears 2 days after.</summary>
    public static FundDeadlines Defaults { get; } = new(new Dictionary<BidStage, StageDeadline>
    {
        [BidStage.Submitted] = new(5, 2, 2, Audience.Coordinators),
        [BidStage.Screening] = new(10, 3, 2, Audience.Coordinators),
        [BidStage.ChangesRequested] = new(15, 3, 5, Audience.Coordinators),
        [BidStage.HceRecommendation] = new(10, 3, 2, Audience.BoardChair),
        [BidStage.BoardApproval] = new(10, 3, 2, Audience.BoardChair),
        [BidStage.Contracting] = new(20, 5, 5, Audience.Coordinators),
        [BidStage.PurchaseOrder] = new(5, 2, 2, Audience.Coordinators),
    }.ToImmutableDictionary());

    public static IReadOnlySet<BidStage> StagesWithDeadlines { get; } = Defaults.Stages.Keys.ToHashSet();

    public StageDeadline? For(BidStage stage) => Stages.GetValueOrDefault(stage);

    public FundDeadlines With(BidStage stage, StageDeadline deadline) => new(Stages.SetItem(stage, deadline));
}

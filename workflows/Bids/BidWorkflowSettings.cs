namespace Partnership.Workflows.Bids;

/// <summary>What a fund configures about its workflow: the deadlines of each stage and the working-day calendar they count in.</summary>
public sealed record BidWorkflowSettings(FundDeadlines Deadlines, WorkingCalendar Calendar);

using Partnership.Workflows.Grants;

namespace Partnership.Workflows.Bids;

/// <summary>What a fund configures about its workflow: the deadlines of each stage, the working-day calendar they count in, and its monitoring calendar.</summary>
public sealed record BidWorkflowSettings(FundDeadlines Deadlines, WorkingCalendar Calendar, MonitoringSettings Monitoring)
{
    public BidWorkflowSettings(FundDeadlines deadlines, WorkingCalendar calendar)
        : this(deadlines, calendar, MonitoringSettings.Defaults)
    {
    }
}

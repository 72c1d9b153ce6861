using System.Collections.Immutable;

namespace Partnership.Workflows.Grants;

public enum ReturnStatus
{
    Awaited,
    Submitted,
    ChangesRequested,
    Accepted,
}

public enum ReturnEscalation
{
    None,
    Coordinators,
    Hce,
}

public enum Rag
{
    Red,
    Amber,
    Green,
}

public sealed record QuarterForecast(string Quarter, Funding Amount);

public sealed record MilestoneUpdate(string Milestone, Rag Rating, string? Comment);

public sealed record OutcomeMeasure(string Measure, decimal? Baseline, decimal? Target, decimal? Actual);

/// <summary>What the organisation reports for a quarter. Spend to date and projected underspend are computed, never typed in.</summary>
public sealed record ReturnReport(
    Funding ActualSpend,
    ImmutableList<QuarterForecast> Forecasts,
    Funding IdentifiedUnderspend,
    string Narrative,
    ImmutableList<MilestoneUpdate> Milestones,
    ImmutableList<OutcomeMeasure> Outcomes,
    ImmutableList<string> EvidenceDocumentIds);

public sealed record QuarterlyReturn(
    string Quarter,
    DateOnly DueOn,
    bool IsFinal,
    ReturnStatus Status = ReturnStatus.Awaited,
    ReturnReport? Report = null,
    DateTimeOffset? SubmittedAt = null,
    DateTimeOffset? AcceptedAt = null,
    string? ChangesRequested = null,
    DateTimeOffset? LastReminderAt = null,
    int RemindersSent = 0,
    ReturnEscalation Escalation = ReturnEscalation.None)
{
    public FinancialQuarter Period() => FinancialQuarter.Parse(Quarter);

    public bool IsReceived => Status is ReturnStatus.Submitted or ReturnStatus.Accepted;

    public bool IsOverdueOn(DateOnly today) => !IsReceived && today > DueOn;
}

/// <summary>A planned payment of the grant; a hold names the return that must be accepted before it is paid.</summary>
public sealed record Instalment(int Number, DateOnly DueOn, Funding Amount, string? HeldUntilReturn);

public sealed record Payment(int Instalment, Funding Amount, DateOnly PaidOn, string Reference, string RecordedBy);

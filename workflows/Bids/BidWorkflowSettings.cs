using System.Collections.Immutable;
using Partnership.Workflows.Decisions;
using Partnership.Workflows.Grants;

namespace Partnership.Workflows.Bids;

/// <summary>What a fund configures about its workflow: the deadlines of each stage, the working-day calendar they count in, and its monitoring calendar.</summary>
public sealed record BidWorkflowSettings(FundDeadlines Deadlines, WorkingCalendar Calendar, MonitoringSettings Monitoring)
{
    /// <summary>Who decides for the fund, and which of them have a registered interest in this bid's applicant (from version 4).</summary>
    public FundGovernance Governance { get; init; } = FundGovernance.None;

    public BidWorkflowSettings(FundDeadlines deadlines, WorkingCalendar calendar)
        : this(deadlines, calendar, MonitoringSettings.Defaults)
    {
    }
}

/// <summary>
/// The fund's HCE and Board, and the members with an interest in the bid's applicant on its register (member to the
/// nature of the interest): what a motion is put to, read by the adapters so deciding reads no storage.
/// </summary>
public sealed record FundGovernance(ImmutableDictionary<BodyKind, DecisionBody> Bodies, ImmutableDictionary<string, string> Interests)
{
    public static FundGovernance None { get; } = new(ImmutableDictionary<BodyKind, DecisionBody>.Empty, ImmutableDictionary<string, string>.Empty);

    /// <summary>The members of the body who may take part in decisions on this bid: none with an interest in its applicant.</summary>
    public ImmutableArray<string> TakingPart(BodyKind kind) =>
        Bodies.TryGetValue(kind, out var body) ? [.. body.Members.Where(m => !Interests.ContainsKey(m))] : [];
}

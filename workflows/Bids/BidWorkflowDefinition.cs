using System.Globalization;
using System.Text;
using Partnership.Workflows.Grants;

namespace Partnership.Workflows.Bids;

/// <summary>
/// A version of the bid workflow: the complete list of transitions, one file per stage (Application, Hce, Board,
/// Contracting, Monitoring, Closing, and AnyStage for what applies in many). Each bid records the version it started
/// under and keeps running under it, so changing the definition never strands a bid that is in flight.
/// </summary>
public sealed partial class BidWorkflowDefinition
{
    /// <summary>
    /// Version 1 had a separate acknowledgement step; version 2 sends a submitted bid straight to screening; version 3
    /// holds the business case itself, section by section, and submits on a complete one instead of an attached document;
    /// version 4 has HCE and the Board decide as bodies, by motions their members vote on, never one person alone.
    /// </summary>
    public const int CurrentVersion = 4;

    private static readonly BidWorkflowDefinition V1 = new(1);
    private static readonly BidWorkflowDefinition V2 = new(2);
    private static readonly BidWorkflowDefinition V3 = new(3);
    private static readonly BidWorkflowDefinition V4 = new(4);

    private BidWorkflowDefinition(int version)
    {
        Version = version;
        Transitions = Build(version);
    }

    public int Version { get; }

    public IReadOnlyList<Transition> Transitions { get; }

    public static BidWorkflowDefinition Current => V4;

    public static IReadOnlyList<BidWorkflowDefinition> All { get; } = [V1, V2, V3, V4];

    public static BidWorkflowDefinition ForVersion(int version) => version switch
    {
        1 => V1,
        2 => V2,
        3 => V3,
        4 => V4,
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "No bid workflow definition has this version."),
    };

    /// <summary>Who must act while a bid waits in a stage, and so who is prompted and reminded.</summary>
    public static Audience? ActingIn(BidStage stage) => stage switch
    {
        BidStage.Submitted or BidStage.Screening => Audience.Coordinators,
        BidStage.ChangesRequested or BidStage.Contracting => Audience.Applicant,
        BidStage.HceRecommendation => Audience.HceMembers,
        BidStage.BoardApproval => Audience.BoardMembers,
        BidStage.PurchaseOrder => Audience.FinanceOfficers,
        _ => null,
    };

    public string ToMermaid()
    {
        var text = new StringBuilder();
        text.AppendLine("---");
        text.AppendLine(CultureInfo.InvariantCulture, $"title: Bid workflow, version {Version}");
        text.AppendLine("---");
        text.AppendLine("stateDiagram-v2");
        text.AppendLine("    [*] --> Draft : StartBid (Applicant)");
        foreach (var transition in Transitions.Where(t => t.To is not null))
        {
            foreach (var from in transition.From.Where(f => f != transition.To))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {from} --> {transition.To} : {transition.Trigger} ({string.Join(", ", transition.Roles)})");
            }
        }

        foreach (var transition in Transitions)
        {
            foreach (var (from, to) in transition.From.SelectMany(f => transition.WhenCarried.Select(t => (f, t))))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {from} --> {to} : {transition.Trigger} ({string.Join(", ", transition.Roles)}), when the motion carries");
            }
        }

        foreach (var stage in Enum.GetValues<BidStage>())
        {
            var within = Transitions.Where(t => t.From.Contains(stage) && (t.To is null || t.To == stage)).Select(t => t.Trigger).ToList();
            if (within.Count > 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    note right of {stage} : within the stage: {string.Join(", ", within)}");
            }
        }

        foreach (var finished in Enum.GetValues<BidStage>().Where(s => s.IsFinished()))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {finished} --> [*]");
        }

        return text.ToString();
    }

    private static BidStage[] Active(params BidStage[] stages) => stages;

    private static List<Transition> Build(int version) =>
    [
        .. ApplicationTransitions(version),
        .. version >= BodiesVersion ? BodyTransitions() : [.. HceTransitions(), .. BoardTransitions()],
        .. ContractingTransitions(),
        .. ClosingTransitions(),
        .. AnyStageTransitions(version),
        .. MonitoringTransitions(),
    ];
}

namespace Partnership.Workflows.Bids;

/// <summary>
/// One row of a workflow definition: which command moves a bid from which stages to which, who may give it,
/// the guard it must pass, the events it records and the effects it asks for. The descriptive fields are what
/// the diagram and the API documentation show; <see cref="Check"/> and <see cref="Apply"/> are what runs.
/// </summary>
public sealed class Transition
{
    public required Type Command { get; init; }

    /// <summary>Set for timer transitions: which kind of timer firing this row handles.</summary>
    public TimerPurpose? Timer { get; init; }

    /// <summary>What the command does, phrased to follow "may" or "cannot": "submit the bid".</summary>
    public required string Action { get; init; }

    public required IReadOnlyList<BidStage> From { get; init; }

    /// <summary>The stage the bid moves to, or null where it stays where it is.</summary>
    public BidStage? To { get; init; }

    /// <summary>Where the bid goes when the motion this transition settles carries (from version 4): it stays put until then.</summary>
    public IReadOnlyList<BidStage> WhenCarried { get; init; } = [];

    public required IReadOnlyList<Role> Roles { get; init; }

    public required string Guard { get; init; }

    public required IReadOnlyList<string> Records { get; init; }

    public required IReadOnlyList<string> Asks { get; init; }

    public string Trigger => Timer is { } purpose ? $"Timer {purpose}" : Command.Name;

    internal Func<Step, string?> Check { get; init; } = _ => null;

    internal Action<Step> Apply { get; init; } = static _ => throw new InvalidOperationException("A transition must say what it does.");
}

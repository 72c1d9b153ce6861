namespace Partnership.Workflows.Bids;

public enum RefusalKind
{
    /// <summary>The actor does not hold the role, or does not act for the bid's organisation.</summary>
    Forbidden,

    /// <summary>The bid is not in a stage where the command applies.</summary>
    WrongStage,

    /// <summary>The command's own content fails the guard.</summary>
    Invalid,
}

/// <summary>The outcome of offering a command to a bid: a pure value, never an exception.</summary>
public abstract record Decision;

public sealed record Accepted(BidState State, IReadOnlyList<BidEvent> Events, IReadOnlyList<Effect> Effects) : Decision;

public sealed record Refused(RefusalKind Kind, string Reason) : Decision;

/// <summary>A timer that no longer applies: nothing happens and nothing is recorded.</summary>
public sealed record Ignored(string Reason) : Decision;

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

/// <summary>
/// The command is accepted. <paramref name="Moves"/> is money that must move on budget lines for the transition to
/// stand: the adapters apply it first and commit the bid only if every line could take it.
/// </summary>
public sealed record Accepted(BidState State, IReadOnlyList<BidEvent> Events, IReadOnlyList<Effect> Effects, IReadOnlyList<BudgetMove> Moves) : Decision
{
    public Accepted(BidState state, IReadOnlyList<BidEvent> events, IReadOnlyList<Effect> effects)
        : this(state, events, effects, [])
    {
    }
}

/// <summary>Take <paramref name="Change"/> from a budget line for the bid (negative: give it back).</summary>
public sealed record BudgetMove(string LineId, Funding Change);

public sealed record Refused(RefusalKind Kind, string Reason) : Decision;

/// <summary>A timer that no longer applies: nothing happens and nothing is recorded.</summary>
public sealed record Ignored(string Reason) : Decision;

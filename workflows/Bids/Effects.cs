using System.Collections.Immutable;

namespace Partnership.Workflows.Bids;

/// <summary>Something the workflow asks the outside world to do once the transition is committed.</summary>
public abstract record Effect;

/// <summary>Tell an audience something; <paramref name="Template"/> names the message, <paramref name="RespondBy"/> the deadline it carries.</summary>
public sealed record Notify(Audience To, string Template, DateTimeOffset? RespondBy = null) : Effect
{
    /// <summary>When set, exactly these people of the audience: a body's members who may take part in a motion.</summary>
    public ImmutableArray<string>? Only { get; init; }
}

public sealed record SetTimer(PendingTimer Timer) : Effect;

public sealed record CancelTimer(string TimerId) : Effect;

/// <summary>Produce a document for the bid (the grant agreement when the Board approves).</summary>
public sealed record MakeDocument(DocumentKind Kind) : Effect;

/// <summary>Give <paramref name="Amount"/> of underspend, drawn on <paramref name="LineId"/>, to another grant.</summary>
public sealed record TransferFunding(string ToBidId, string LineId, Funding Amount) : Effect;

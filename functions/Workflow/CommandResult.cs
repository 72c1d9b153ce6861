using Partnership.Workflows.Bids;

namespace Partnership.Functions.Workflow;

public enum CommandOutcome
{
    Accepted,
    Refused,
    Ignored,
    NotFound,

    /// <summary>The idempotency key was used before for a different request.</summary>
    KeyReused,

    /// <summary>Sent to the bid, which has not yet applied it; its status address will say when it has.</summary>
    Pending,
}

/// <summary>The answer to a command, stored with it so that a retry gets the same answer.</summary>
public sealed record CommandResult(string BidId, CommandOutcome Outcome, int? Version = null, BidStage? Stage = null, RefusalKind? Refusal = null, string? Reason = null);

public sealed record CommandRecord(string Fingerprint, CommandResult Result);

using System.Collections.Immutable;

namespace Partnership.Workflows.Bids;

public enum DocumentKind
{
    BusinessCase,
    Budget,
    Constitution,
    Accounts,
    SignedContract,
    GrantAgreement,
    Evidence,
    Other,
}

/// <summary>One stored version of a document attached to a bid; the bytes live in blob storage under <see cref="BlobName"/>.</summary>
public sealed record DocumentVersion(
    string DocumentId,
    int Version,
    DocumentKind Kind,
    string FileName,
    string ContentType,
    long Size,
    string Sha256,
    string BlobName,
    string UploadedBy,
    DateTimeOffset UploadedAt);

public enum TimerPurpose
{
    DecisionReminder,
    DecisionEscalation,
    DeferralEnds,
    GrantPeriodEnds,
}

/// <summary>A durable timer the bid is waiting on. Ids embed the bid version that set them, so re-entering a stage never reuses one.</summary>
public sealed record PendingTimer(string Id, TimerPurpose Purpose, BidStage Stage, DateTimeOffset DueAt);

public enum RecommendationKind
{
    Approve,
    Defer,
    Reject,
}

public sealed record Recommendation(
    RecommendationKind Kind,
    Funding? Amount,
    string? Conditions,
    string? Reasons,
    DateOnly? DeferredUntil,
    string By,
    DateTimeOffset At);

/// <summary>Money this bid took from (positive) or gave back to (negative) a budget line, at the bid version that moved it.</summary>
public sealed record LedgerEntry(string LineId, int Version, Funding Change);

public sealed record PurchaseOrderDetails(string Number, DateOnly Date, string SupplierReference, string RecordedBy);

/// <summary>What the bid asked for; editable while the applicant holds the pen.</summary>
public sealed record BidProposal(string Title, string Summary, Funding Requested, DateOnly GrantStart, DateOnly GrantEnd);

/// <summary>
/// The whole state of one bid's workflow instance. Immutable: a transition returns a new one.
/// <see cref="Version"/> counts accepted commands and orders the event history.
/// </summary>
public sealed record BidState
{
    public required string BidId { get; init; }
    public required string FundId { get; init; }
    public required string OrganisationId { get; init; }
    public required string ApplicantUserId { get; init; }
    public required int DefinitionVersion { get; init; }
    public required BidProposal Proposal { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public BidStage Stage { get; init; } = BidStage.Draft;
    public int Version { get; init; }
    public DateTimeOffset StageEnteredAt { get; init; }
    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>When whoever must act in the current stage is due to have acted; null where the stage has no deadline running.</summary>
    public DateTimeOffset? DecisionDueAt { get; init; }
    public string? ChangesRequested { get; init; }
    public Recommendation? Recommendation { get; init; }
    public Funding? ApprovedAmount { get; init; }

    /// <summary>The budget line the award is drawn from, chosen by the Board.</summary>
    public string? BudgetLineId { get; init; }

    public ImmutableList<LedgerEntry> Ledger { get; init; } = [];
    public string? BoardConditions { get; init; }
    public DateTimeOffset? ContractSentAt { get; init; }
    public string? SignedContractDocumentId { get; init; }
    public DateTimeOffset? ContractAcceptedAt { get; init; }
    public PurchaseOrderDetails? PurchaseOrder { get; init; }
    public string? OutcomeReason { get; init; }
    public ImmutableList<DocumentVersion> Documents { get; init; } = [];
    public ImmutableList<PendingTimer> Timers { get; init; } = [];

    public DocumentVersion? LatestVersionOf(string documentId) =>
        Documents.Where(d => d.DocumentId == documentId).MaxBy(d => d.Version);

    public bool HasDocument(DocumentKind kind) => Documents.Any(d => d.Kind == kind);
}

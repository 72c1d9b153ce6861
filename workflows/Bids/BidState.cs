using System.Collections.Immutable;
using Partnership.Workflows.Grants;

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

    /// <summary>One rung of a quarterly return's reminder ladder; <see cref="PendingTimer.Subject"/> names the quarter.</summary>
    ReturnReminder,

    /// <summary>A written procedure's window closes; <see cref="PendingTimer.Subject"/> names the motion.</summary>
    MotionCloses,
}

/// <summary>
/// A durable timer the bid is waiting on. Ids embed the bid version that set them, so re-entering a stage never
/// reuses one. <paramref name="Subject"/> and <paramref name="Step"/> say which return and which rung of its ladder.
/// </summary>
public sealed record PendingTimer(string Id, TimerPurpose Purpose, BidStage Stage, DateTimeOffset DueAt, string? Subject = null, int Step = 0);

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
    DateTimeOffset At,
    string? BudgetLineId = null);

/// <summary>Money this bid took from (positive) or gave back to (negative) a budget line, at the bid version that moved it.</summary>
public sealed record LedgerEntry(string LineId, int Version, Funding Change);

public sealed record PurchaseOrderDetails(string Number, DateOnly Date, string SupplierReference, string RecordedBy);

/// <summary>
/// What the bid asks for; editable while the applicant holds the pen. From workflow version 3 it holds the business
/// case, whose cost lines make <see cref="Requested"/>; earlier bids attach the business case as a document.
/// </summary>
public sealed record BidProposal(string Title, string Summary, Funding Requested, DateOnly GrantStart, DateOnly GrantEnd)
{
    public BusinessCase? Case { get; init; }
}

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

    /// <summary>The coordinator's comments against the business case's sections, while changes are requested.</summary>
    public ImmutableDictionary<CaseSection, string> ChangeComments { get; init => field = value ?? ImmutableDictionary<CaseSection, string>.Empty; } = ImmutableDictionary<CaseSection, string>.Empty;
    public Recommendation? Recommendation { get; init; }

    /// <summary>Every motion put to HCE or the Board on this bid, the latest last (from workflow version 4).</summary>
    public ImmutableList<Decisions.Motion> Motions { get; init; } = [];
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
    public ImmutableList<QuarterlyReturn> Returns { get; init; } = [];

    public ImmutableList<Instalment> Instalments { get; init; } = [];

    public ImmutableList<Payment> Payments { get; init; } = [];

    public Variation? PendingVariation { get; init; }

    /// <summary>What closure gave back to the budget line: the award less the spend reported.</summary>
    public Funding? ReturnedAtClosure { get; init; }

    public ImmutableList<DocumentVersion> Documents { get; init; } = [];
    public ImmutableList<PendingTimer> Timers { get; init; } = [];

    /// <summary>The motion the body deciding now has before it: open for votes, or waiting for its next meeting.</summary>
    public Decisions.Motion? PendingMotion => Motions.LastOrDefault(m => m.Status is Decisions.MotionStatus.Open or Decisions.MotionStatus.ToMeeting && m.Body == Decisions.DecidingStages.BodyIn(Stage));

    public DocumentVersion? LatestVersionOf(string documentId) =>
        Documents.Where(d => d.DocumentId == documentId).MaxBy(d => d.Version);

    public bool HasDocument(DocumentKind kind) => Documents.Any(d => d.Kind == kind);

    public QuarterlyReturn? Return(string quarter) => Returns.FirstOrDefault(r => r.Quarter == quarter);

    /// <summary>Spend reported in the returns received, up to and including <paramref name="throughQuarter"/> (all of them when null).</summary>
    public Funding SpendToDate(string? throughQuarter = null) => Returns
        .Where(r => r.IsReceived && r.Report is not null && (throughQuarter is null || string.CompareOrdinal(r.Quarter, throughQuarter) <= 0))
        .Aggregate(Funding.Zero, (sum, r) => sum + r.Report!.ActualSpend);

    /// <summary>Award less spend to date less what the return still forecasts for later quarters.</summary>
    public Funding? ProjectedUnderspend(string quarter)
    {
        if (ApprovedAmount is null || Return(quarter)?.Report is not { } report)
        {
            return null;
        }

        var spent = SpendToDate(quarter);
        var forecast = report.Forecasts.Where(f => string.CompareOrdinal(f.Quarter, quarter) > 0).Aggregate(Funding.Zero, (sum, f) => sum + f.Amount);
        return new Funding(ApprovedAmount.Revenue - spent.Revenue - forecast.Revenue, ApprovedAmount.Capital - spent.Capital - forecast.Capital);
    }

    public Funding Paid => Payments.Aggregate(Funding.Zero, (sum, p) => sum + p.Amount);

    public QuarterlyReturn? FirstOverdueReturn(DateOnly today) => Returns.FirstOrDefault(r => r.IsOverdueOn(today));
}

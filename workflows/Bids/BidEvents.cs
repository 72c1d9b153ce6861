using System.Collections.Immutable;
using Partnership.Workflows.Decisions;
using Partnership.Workflows.Grants;

namespace Partnership.Workflows.Bids;

/// <summary>A fact in a bid's history. <see cref="At"/> and <see cref="By"/> are stamped by the workflow.</summary>
public abstract record BidEvent
{
    public DateTimeOffset At { get; init; }

    public string By { get; init; } = "";
}

public sealed record BidStarted(string FundId, string OrganisationId, BidProposal Proposal, int DefinitionVersion) : BidEvent;

public sealed record DraftEdited(BidProposal Proposal) : BidEvent;

public sealed record DocumentAttached(DocumentVersion Document) : BidEvent;

public sealed record BidSubmitted : BidEvent;

public sealed record ScreeningStarted : BidEvent;

public sealed record ChangesWereRequested(string Reason) : BidEvent
{
    public ImmutableDictionary<CaseSection, string> Sections { get; init => field = value ?? ImmutableDictionary<CaseSection, string>.Empty; } = ImmutableDictionary<CaseSection, string>.Empty;
}

public sealed record BidResubmitted : BidEvent;

public sealed record ReferredToHce : BidEvent;

public sealed record HceRecommendedApproval(Funding Amount, string? Conditions, string? BudgetLineId = null) : BidEvent;

public sealed record HceDeferred(DateOnly Until, string Reason) : BidEvent;

public sealed record HceRecommendedRejection(string Reasons) : BidEvent;

public sealed record BoardApproved(Funding Amount, string BudgetLineId, string? Conditions) : BidEvent;

public sealed record BoardRejected(string Reason) : BidEvent;

public sealed record ContractSent : BidEvent;

public sealed record SignedContractReturned(string DocumentId) : BidEvent;

public sealed record SignedContractAccepted : BidEvent;

public sealed record PurchaseOrderRecorded(PurchaseOrderDetails PurchaseOrder) : BidEvent;

public sealed record ClosingStarted(string Trigger) : BidEvent;

public sealed record BidClosed : BidEvent;

public sealed record BidWithdrawn(string Reason) : BidEvent;

public sealed record ReminderSent(string TimerId, BidStage Stage, DateTimeOffset DecisionDue) : BidEvent;

public sealed record DecisionEscalated(string TimerId, BidStage Stage, Audience EscalatedTo) : BidEvent;

public sealed record DeferralEnded(DateOnly DeferredUntil) : BidEvent;

public sealed record ReturnsScheduled(ImmutableList<QuarterlyReturn> Returns) : BidEvent;

public sealed record ReturnsWithdrawn(ImmutableList<string> Quarters) : BidEvent;

public sealed record ReturnReminderSent(string Quarter, int DaysFromDue, DateOnly DueOn) : BidEvent;

public sealed record ReturnEscalated(string Quarter, ReturnEscalation Level, int DaysLate) : BidEvent;

public sealed record ReturnSubmitted(string Quarter, ReturnReport Report) : BidEvent;

public sealed record ReturnAccepted(string Quarter) : BidEvent;

public sealed record ReturnSentBack(string Quarter, string Reason) : BidEvent;

public sealed record InstalmentsScheduled(ImmutableList<Instalment> Instalments) : BidEvent;

public sealed record InstalmentHeld(int Instalment, string Quarter) : BidEvent;

public sealed record InstalmentReleased(int Instalment, string Quarter) : BidEvent;

public sealed record PaymentRecorded(Payment Payment) : BidEvent;

public sealed record VariationProposed(Variation Variation) : BidEvent;

public sealed record VariationAgreed(Variation Variation) : BidEvent;

public sealed record VariationDeclined(Variation Variation, string Reason) : BidEvent;

public sealed record TransferReceived(string FromBidId, string LineId, Funding Amount) : BidEvent;

public sealed record UnspentReturned(string LineId, Funding Amount) : BidEvent;

public sealed record DeliveryReported(string EffectId, string Recipient, string Template, DeliveryOutcome Outcome, string? Reason, DateTimeOffset ReportedAt) : BidEvent;

/// <summary>A motion put to HCE or the Board, with the members it was put to and those with a registered interest, who take no part.</summary>
public sealed record MotionPut(string MotionId, BodyKind Body, MotionTerms Terms, string ProposedBy, DateTimeOffset ClosesAt, ImmutableArray<string> Members, ImmutableDictionary<string, string> Interests) : BidEvent;

public sealed record VoteRecorded(string MotionId, VoteChoice Choice, string? Reason) : BidEvent;

/// <summary>A member said, when asked to vote, that they have an interest in the applicant: they take no part in the item.</summary>
public sealed record InterestDeclared(string MotionId, string Nature) : BidEvent;

/// <summary>The motion carried: in writing, by the chair acting alone (reported to the next meeting), or at a meeting.</summary>
public sealed record MotionCarried(string MotionId, string Outcome, bool ByChair = false) : BidEvent;

public sealed record MotionSentToMeeting(string MotionId, string Reason) : BidEvent;

/// <summary>What a meeting of the body decided on the item, who was there, who was counted out for an interest, and its minute.</summary>
public sealed record MeetingDecided(string MotionId, DateOnly Held, MeetingOutcome Outcome, string Minute, ImmutableArray<string> Attended, ImmutableArray<string> CountedOut, MotionTerms Terms) : BidEvent;

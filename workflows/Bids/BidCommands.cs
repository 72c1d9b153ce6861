using System.Collections.Immutable;
using Partnership.Workflows.Decisions;
using Partnership.Workflows.Grants;

namespace Partnership.Workflows.Bids;

/// <summary>An intent addressed to one bid. The workflow decides whether the actor may carry it out now.</summary>
public abstract record BidCommand(Actor Actor);

public sealed record StartBid(Actor Actor, string BidId, string FundId, string OrganisationId, BidProposal Proposal) : BidCommand(Actor);

public sealed record EditDraft(Actor Actor, BidProposal Proposal) : BidCommand(Actor);

/// <summary>Changes one part of a draft's proposal (version 3 on), made to the proposal as the bid holds it then.</summary>
public sealed record ChangeDraft(Actor Actor, DraftChange Change) : BidCommand(Actor);

public sealed record AttachDocument(Actor Actor, DocumentVersion Document) : BidCommand(Actor);

public sealed record Submit(Actor Actor) : BidCommand(Actor);

public sealed record StartScreening(Actor Actor) : BidCommand(Actor);

/// <summary>Sends the bid back: what to change overall, and (for a written business case) comments against its sections.</summary>
public sealed record RequestChanges(Actor Actor, string Reason) : BidCommand(Actor)
{
    public ImmutableDictionary<CaseSection, string> Sections { get; init => field = value ?? ImmutableDictionary<CaseSection, string>.Empty; } = ImmutableDictionary<CaseSection, string>.Empty;
}

public sealed record Resubmit(Actor Actor) : BidCommand(Actor);

public sealed record ReferToHce(Actor Actor) : BidCommand(Actor);

/// <summary>
/// HCE recommends approval of <paramref name="Amount"/>, optionally proposing the budget line it would come from, so
/// the budget paper can show each line as it would stand if the Board agreed.
/// </summary>
public sealed record RecommendApproval(Actor Actor, Funding Amount, string? Conditions, string? BudgetLineId = null) : BidCommand(Actor);

public sealed record DeferDecision(Actor Actor, DateOnly Until, string Reason) : BidCommand(Actor);

public sealed record RecommendRejection(Actor Actor, string Reasons) : BidCommand(Actor);

/// <summary>The Board approves HCE's recommendation, drawing the amount from <paramref name="BudgetLineId"/>.</summary>
public sealed record ApproveRecommendation(Actor Actor, string BudgetLineId, string? Conditions) : BidCommand(Actor);

public sealed record RejectRecommendation(Actor Actor, string Reason) : BidCommand(Actor);

/// <summary>
/// A member's answer on the motion before their body (from version 4): they first say whether they have an interest
/// in the applicant, and one who has (<paramref name="Interest"/>, its nature) takes no part and casts no vote.
/// </summary>
public sealed record CastVote(Actor Actor, string MotionId, VoteChoice Choice, string? Reason = null, string? Interest = null) : BidCommand(Actor);

/// <summary>The chair decides the motion alone, within the chair's limit the fund sets; reported to the next meeting.</summary>
public sealed record ActAsChair(Actor Actor, string MotionId) : BidCommand(Actor);

public enum MeetingOutcome
{
    Agreed,

    /// <summary>Agreed on different terms: a new motion, the chair's, carried at the meeting.</summary>
    AgreedWithChanges,
    Deferred,
    Rejected,
}

/// <summary>
/// A coordinator records what a meeting of HCE or the Board decided on the bid's motion: who attended, the outcome
/// and its minute reference. <paramref name="Amount"/> and <paramref name="Text"/> are the changed terms; <paramref name="Text"/>
/// is also the reason for a deferral or rejection.
/// </summary>
public sealed record RecordMeetingDecision(Actor Actor, DateOnly Held, IReadOnlyList<string> Attended, MeetingOutcome Outcome, string Minute, Funding? Amount = null, string? Text = null, DateOnly? DeferTo = null) : BidCommand(Actor);

public sealed record SendContract(Actor Actor) : BidCommand(Actor);

public sealed record ReturnSignedContract(Actor Actor, string DocumentId) : BidCommand(Actor);

public sealed record AcceptSignedContract(Actor Actor) : BidCommand(Actor);

public sealed record RecordPurchaseOrder(Actor Actor, string Number, DateOnly Date, string SupplierReference) : BidCommand(Actor);

public sealed record StartClosing(Actor Actor) : BidCommand(Actor);

public sealed record CloseBid(Actor Actor) : BidCommand(Actor);

public sealed record Withdraw(Actor Actor, string Reason) : BidCommand(Actor);

public sealed record SubmitReturn(Actor Actor, string Quarter, ReturnReport Report) : BidCommand(Actor);

public sealed record AcceptReturn(Actor Actor, string Quarter) : BidCommand(Actor);

public sealed record SendBackReturn(Actor Actor, string Quarter, string Reason) : BidCommand(Actor);

public sealed record SetInstalments(Actor Actor, IReadOnlyList<Instalment> Instalments) : BidCommand(Actor);

public sealed record HoldInstalment(Actor Actor, int Instalment, string Quarter) : BidCommand(Actor);

public sealed record RecordPayment(Actor Actor, int Instalment, Funding Amount, DateOnly PaidOn, string Reference) : BidCommand(Actor);

public sealed record ProposeVariation(Actor Actor, Variation Variation) : BidCommand(Actor);

public sealed record DecideVariation(Actor Actor, bool Agree, string? Reason) : BidCommand(Actor);

/// <summary>Underspend moved to this grant from another by an agreed variation; sent by the system.</summary>
public sealed record ReceiveTransfer(Actor Actor, string FromBidId, string LineId, Funding Amount) : BidCommand(Actor);

public enum DeliveryOutcome
{
    Delivered,
    Opened,
    Bounced,
    Dropped,
}

/// <summary>The mail provider reported what became of a message sent for one of the bid's effects; sent by the system.</summary>
public sealed record RecordDelivery(Actor Actor, string EffectId, string Recipient, string Template, DeliveryOutcome Outcome, string? Reason, DateTimeOffset ReportedAt) : BidCommand(Actor);

/// <summary>A durable timer came due. Sent by the sweep as <see cref="Actor.System"/>.</summary>
public sealed record FireTimer(Actor Actor, string TimerId) : BidCommand(Actor);

using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Partnership.Workflows.Grants;

namespace Partnership.Workflows.Bids;

/// <summary>
/// A version of the bid workflow: the complete list of transitions. Each bid records the version it started
/// under and keeps running under it, so changing the definition never strands a bid that is in flight.
/// </summary>
public sealed partial class BidWorkflowDefinition
{
    /// <summary>Version 1 had a separate acknowledgement step; version 2 sends a submitted bid straight to screening.</summary>
    public const int CurrentVersion = 2;

    private static readonly BidWorkflowDefinition V1 = new(1);
    private static readonly BidWorkflowDefinition V2 = new(2);

    private BidWorkflowDefinition(int version)
    {
        Version = version;
        Transitions = Build(version);
    }

    public int Version { get; }

    public IReadOnlyList<Transition> Transitions { get; }

    public static BidWorkflowDefinition Current => V2;

    public static IReadOnlyList<BidWorkflowDefinition> All { get; } = [V1, V2];

    public static BidWorkflowDefinition ForVersion(int version) => version switch
    {
        1 => V1,
        2 => V2,
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

    private static List<Transition> Build(int version)
    {
        var beforeScreening = version == 1 ? Active(BidStage.Draft, BidStage.Submitted) : Active(BidStage.Draft);
        var submittedTo = version == 1 ? BidStage.Submitted : BidStage.Screening;
        var stagesWithDeadlines = FundDeadlines.StagesWithDeadlines.Where(s => version == 1 || s != BidStage.Submitted).ToArray();
        var transitions = new List<Transition>
        {
            new()
            {
                Command = typeof(EditDraft), Action = "edit the proposal",
                From = [BidStage.Draft, BidStage.ChangesRequested], Roles = [Role.Applicant],
                Guard = "a title, a summary, an amount in whole pence and a grant period that ends after it starts",
                Records = [nameof(DraftEdited)], Asks = [],
                Check = s => ProposalProblem(s.Cmd<EditDraft>().Proposal),
                Apply = s =>
                {
                    s.State = s.State with { Proposal = s.Cmd<EditDraft>().Proposal };
                    s.Record(new DraftEdited(s.Cmd<EditDraft>().Proposal));
                },
            },
            new()
            {
                Command = typeof(AttachDocument), Action = "attach a document",
                From = [.. Enum.GetValues<BidStage>().Where(s => !s.IsFinished() && (version == 1 || s != BidStage.Submitted))],
                Roles = [Role.Applicant, Role.Coordinator, Role.System],
                Guard = "applicants attach while drafting, answering changes, contracting, monitoring or closing; each upload is the next version of its document",
                Records = [nameof(DocumentAttached)], Asks = [],
                Check = AttachProblem,
                Apply = s =>
                {
                    var document = s.Cmd<AttachDocument>().Document;
                    s.State = s.State with { Documents = s.State.Documents.Add(document) };
                    s.Record(new DocumentAttached(document));
                },
            },
            new()
            {
                Command = typeof(Submit), Action = "submit the bid",
                From = [BidStage.Draft], To = submittedTo, Roles = [Role.Applicant],
                Guard = "a complete proposal and a business case document",
                Records = [nameof(BidSubmitted)],
                Asks = ["notify the applicant (bid received)", "prompt coordinators with the due date", "reminder and escalation timers"],
                Check = s => SubmissionProblem(s.State),
                Apply = s =>
                {
                    s.State = s.State with { SubmittedAt = s.Now };
                    s.Record(new BidSubmitted());
                    s.MoveTo(submittedTo);
                    s.Notify(Audience.Applicant, "bid-received");
                    s.StartDecisionWindow(Audience.Coordinators, "bid-submitted");
                },
            },
        };

        if (version == 1)
        {
            transitions.Add(new()
            {
                Command = typeof(StartScreening), Action = "start screening",
                From = [BidStage.Submitted], To = BidStage.Screening, Roles = [Role.Coordinator],
                Guard = "none", Records = [nameof(ScreeningStarted)],
                Asks = ["reminder and escalation timers for screening"],
                Apply = s =>
                {
                    s.Record(new ScreeningStarted());
                    s.MoveTo(BidStage.Screening);
                    s.StartDecisionWindow(Audience.Coordinators, "screening-started");
                },
            });
        }

        transitions.AddRange(
        [
            new()
            {
                Command = typeof(RequestChanges), Action = "send the bid back for changes",
                From = [BidStage.Screening], To = BidStage.ChangesRequested, Roles = [Role.Coordinator],
                Guard = "a reason the applicant can act on", Records = [nameof(ChangesWereRequested)],
                Asks = ["notify the applicant with the changes and the due date", "reminder and escalation timers"],
                Check = s => Required(s.Cmd<RequestChanges>().Reason, "Say what the applicant needs to change."),
                Apply = s =>
                {
                    var reason = s.Cmd<RequestChanges>().Reason.Trim();
                    s.State = s.State with { ChangesRequested = reason };
                    s.Record(new ChangesWereRequested(reason));
                    s.MoveTo(BidStage.ChangesRequested);
                    s.StartDecisionWindow(Audience.Applicant, "changes-requested");
                },
            },
            new()
            {
                Command = typeof(Resubmit), Action = "resubmit the bid",
                From = [BidStage.ChangesRequested], To = BidStage.Screening, Roles = [Role.Applicant],
                Guard = "a complete proposal and a business case document", Records = [nameof(BidResubmitted)],
                Asks = ["prompt coordinators with the due date", "reminder and escalation timers"],
                Check = s => SubmissionProblem(s.State),
                Apply = s =>
                {
                    s.State = s.State with { ChangesRequested = null };
                    s.Record(new BidResubmitted());
                    s.MoveTo(BidStage.Screening);
                    s.StartDecisionWindow(Audience.Coordinators, "bid-resubmitted");
                },
            },
            new()
            {
                Command = typeof(ReferToHce), Action = "send the bid to HCE for a recommendation",
                From = [BidStage.Screening], To = BidStage.HceRecommendation, Roles = [Role.Coordinator],
                Guard = "none", Records = [nameof(ReferredToHce)],
                Asks = ["prompt HCE members to decide by the due date", "reminder timer", "escalation to the Board chair"],
                Apply = s =>
                {
                    s.Record(new ReferredToHce());
                    s.MoveTo(BidStage.HceRecommendation);
                    s.StartDecisionWindow(Audience.HceMembers, "decision-prompt-hce");
                },
            },
            new()
            {
                Command = typeof(RecommendApproval), Action = "recommend approval",
                From = [BidStage.HceRecommendation], To = BidStage.BoardApproval, Roles = [Role.HceMember],
                Guard = "an amount in whole pence (it may differ from the amount requested)",
                Records = [nameof(HceRecommendedApproval)],
                Asks = ["prompt Board members to decide by the due date", "notify coordinators", "reminder and escalation timers"],
                Check = s => s.Cmd<RecommendApproval>().Amount.Problem("The recommended amount"),
                Apply = s =>
                {
                    var command = s.Cmd<RecommendApproval>();
                    var conditions = Trimmed(command.Conditions);
                    s.State = s.State with
                    {
                        Recommendation = new(RecommendationKind.Approve, command.Amount, conditions, null, null, command.Actor.UserId, s.Now),
                    };
                    s.Record(new HceRecommendedApproval(command.Amount, conditions));
                    s.MoveTo(BidStage.BoardApproval);
                    s.Notify(Audience.Coordinators, "hce-recommended-approval");
                    s.StartDecisionWindow(Audience.BoardMembers, "decision-prompt-board");
                },
            },
            new()
            {
                Command = typeof(DeferDecision), Action = "defer the recommendation",
                From = [BidStage.HceRecommendation], Roles = [Role.HceMember],
                Guard = "a date after today and a reason", Records = [nameof(HceDeferred)],
                Asks = ["cancel the decision timers", "a timer for the date deferred to", "notify coordinators and the applicant"],
                Check = s =>
                    s.Cmd<DeferDecision>().Until <= s.Today ? "Defer to a date after today."
                    : Required(s.Cmd<DeferDecision>().Reason, "Give a reason for deferring."),
                Apply = s =>
                {
                    var command = s.Cmd<DeferDecision>();
                    s.State = s.State with
                    {
                        Recommendation = new(RecommendationKind.Defer, null, null, command.Reason.Trim(), command.Until, command.Actor.UserId, s.Now),
                        DecisionDueAt = null,
                    };
                    s.Record(new HceDeferred(command.Until, command.Reason.Trim()));
                    s.CancelDecisionTimers();
                    s.SetTimer(TimerPurpose.DeferralEnds, s.MorningOf(command.Until));
                    s.Notify(Audience.Coordinators, "decision-deferred");
                    s.Notify(Audience.Applicant, "decision-deferred");
                },
            },
            new()
            {
                Command = typeof(RecommendRejection), Action = "recommend rejection",
                From = [BidStage.HceRecommendation], To = BidStage.Rejected, Roles = [Role.HceMember],
                Guard = "reasons the applicant can read", Records = [nameof(HceRecommendedRejection)],
                Asks = ["cancel the decision timers", "notify the applicant and coordinators"],
                Check = s => Required(s.Cmd<RecommendRejection>().Reasons, "Give the reasons for rejecting the bid."),
                Apply = s =>
                {
                    var command = s.Cmd<RecommendRejection>();
                    s.State = s.State with
                    {
                        Recommendation = new(RecommendationKind.Reject, null, null, command.Reasons.Trim(), null, command.Actor.UserId, s.Now),
                        OutcomeReason = command.Reasons.Trim(),
                    };
                    s.Record(new HceRecommendedRejection(command.Reasons.Trim()));
                    s.MoveTo(BidStage.Rejected);
                    s.Notify(Audience.Applicant, "bid-rejected");
                    s.Notify(Audience.Coordinators, "bid-rejected");
                },
            },
            new()
            {
                Command = typeof(ApproveRecommendation), Action = "approve the HCE recommendation",
                From = [BidStage.BoardApproval], To = BidStage.Contracting, Roles = [Role.BoardMember],
                Guard = "HCE recommended approval with an amount, and the chosen budget line can fund it (moved in the same step)",
                Records = [nameof(BoardApproved)],
                Asks = ["allocate the amount from the budget line", "make the grant agreement", "notify the applicant", "ask coordinators to send the contract"],
                Check = s => s.State.Recommendation is not { Kind: RecommendationKind.Approve, Amount: not null } ? "There is no HCE recommendation to approve."
                    : Required(s.Cmd<ApproveRecommendation>().BudgetLineId, "Choose the budget line the grant is paid from."),
                Apply = s =>
                {
                    var command = s.Cmd<ApproveRecommendation>();
                    var conditions = Trimmed(command.Conditions);
                    var amount = s.State.Recommendation!.Amount!;
                    s.State = s.State with { ApprovedAmount = amount, BoardConditions = conditions, BudgetLineId = command.BudgetLineId };
                    s.MoveMoney(command.BudgetLineId, amount);
                    s.Record(new BoardApproved(amount, command.BudgetLineId, conditions));
                    s.MoveTo(BidStage.Contracting);
                    s.Effects.Add(new MakeDocument(DocumentKind.GrantAgreement));
                    s.Notify(Audience.Applicant, "bid-approved");
                    s.Notify(Audience.Coordinators, "contract-to-send");
                },
            },
            new()
            {
                Command = typeof(RejectRecommendation), Action = "reject the HCE recommendation",
                From = [BidStage.BoardApproval], To = BidStage.Rejected, Roles = [Role.BoardMember],
                Guard = "a reason the applicant can read", Records = [nameof(BoardRejected)],
                Asks = ["cancel the decision timers", "notify the applicant and coordinators"],
                Check = s => Required(s.Cmd<RejectRecommendation>().Reason, "Give the reason for rejecting the recommendation."),
                Apply = s =>
                {
                    var reason = s.Cmd<RejectRecommendation>().Reason.Trim();
                    s.State = s.State with { OutcomeReason = reason };
                    s.Record(new BoardRejected(reason));
                    s.MoveTo(BidStage.Rejected);
                    s.Notify(Audience.Applicant, "bid-rejected");
                    s.Notify(Audience.Coordinators, "bid-rejected");
                },
            },
            new()
            {
                Command = typeof(SendContract), Action = "send the contract",
                From = [BidStage.Contracting], Roles = [Role.Coordinator],
                Guard = "the contract has not been sent already", Records = [nameof(ContractSent)],
                Asks = ["send the applicant the contract with the date to return it signed", "chaser and escalation timers"],
                Check = s => s.State.ContractSentAt is null ? null : "The contract has already been sent.",
                Apply = s =>
                {
                    s.State = s.State with { ContractSentAt = s.Now };
                    s.Record(new ContractSent());
                    s.StartDecisionWindow(Audience.Applicant, "contract-sent");
                },
            },
            new()
            {
                Command = typeof(ReturnSignedContract), Action = "return the signed contract",
                From = [BidStage.Contracting], Roles = [Role.Applicant, Role.Coordinator],
                Guard = "the contract was sent and the document is a signed contract attached to this bid",
                Records = [nameof(SignedContractReturned)], Asks = ["notify coordinators"],
                Check = s =>
                {
                    if (s.State.ContractSentAt is null)
                    {
                        return "The contract has not been sent yet.";
                    }

                    var document = s.State.LatestVersionOf(s.Cmd<ReturnSignedContract>().DocumentId);
                    return document is { Kind: DocumentKind.SignedContract } ? null
                        : "Attach the signed contract as a 'SignedContract' document first, then return it.";
                },
                Apply = s =>
                {
                    var documentId = s.Cmd<ReturnSignedContract>().DocumentId;
                    s.State = s.State with { SignedContractDocumentId = documentId };
                    s.Record(new SignedContractReturned(documentId));
                    s.Notify(Audience.Coordinators, "signed-contract-returned");
                },
            },
            new()
            {
                Command = typeof(AcceptSignedContract), Action = "accept the signed contract",
                From = [BidStage.Contracting], To = BidStage.PurchaseOrder, Roles = [Role.Coordinator],
                Guard = "a signed contract has been returned", Records = [nameof(SignedContractAccepted), nameof(InstalmentsScheduled)],
                Asks = ["cancel the contract chasers", "schedule instalments (the first on signature, then one after each quarter's return) unless set already", "ask finance for a purchase order by the due date", "chaser and escalation timers"],
                Check = s => s.State.SignedContractDocumentId is null ? "No signed contract has been returned yet." : null,
                Apply = s =>
                {
                    s.State = s.State with { ContractAcceptedAt = s.Now };
                    s.Record(new SignedContractAccepted());
                    if (s.State.Instalments.IsEmpty)
                    {
                        var instalments = DefaultInstalments(s);
                        s.State = s.State with { Instalments = instalments };
                        s.Record(new InstalmentsScheduled(instalments));
                    }

                    s.MoveTo(BidStage.PurchaseOrder);
                    s.Notify(Audience.Applicant, "contract-accepted");
                    s.StartDecisionWindow(Audience.FinanceOfficers, "purchase-order-needed");
                },
            },
            new()
            {
                Command = typeof(RecordPurchaseOrder), Action = "record the purchase order",
                From = [BidStage.PurchaseOrder], To = BidStage.Monitoring, Roles = [Role.FinanceOfficer],
                Guard = "a purchase order number, a date that is not in the future and a supplier reference",
                Records = [nameof(PurchaseOrderRecorded), nameof(ReturnsScheduled)],
                Asks = ["schedule a return for every quarter of the grant, each with its reminder ladder", "notify the applicant and coordinators", "a timer for the end of the grant period"],
                Check = s =>
                {
                    var command = s.Cmd<RecordPurchaseOrder>();
                    return Required(command.Number, "Give the purchase order number.")
                        ?? Required(command.SupplierReference, "Give the supplier reference.")
                        ?? (command.Date > s.Today ? "The purchase order date cannot be in the future." : null);
                },
                Apply = s =>
                {
                    var command = s.Cmd<RecordPurchaseOrder>();
                    var order = new PurchaseOrderDetails(command.Number.Trim(), command.Date, command.SupplierReference.Trim(), command.Actor.UserId);
                    s.State = s.State with { PurchaseOrder = order };
                    s.Record(new PurchaseOrderRecorded(order));
                    s.MoveTo(BidStage.Monitoring);
                    s.Notify(Audience.Applicant, "purchase-order-raised");
                    s.Notify(Audience.Coordinators, "purchase-order-raised");
                    s.SetTimer(TimerPurpose.GrantPeriodEnds, s.MorningOf(s.State.Proposal.GrantEnd.AddDays(1)));
                    s.ScheduleReturns(FinancialQuarter.Covering(s.State.Proposal.GrantStart, s.State.Proposal.GrantEnd), s.State.Proposal.GrantEnd);
                },
            },
            new()
            {
                Command = typeof(StartClosing), Action = "start closing the grant",
                From = [BidStage.Monitoring], To = BidStage.Closing, Roles = [Role.Coordinator],
                Guard = "none", Records = [nameof(ClosingStarted), nameof(ReturnsWithdrawn)],
                Asks = ["cancel the grant-period timer", "withdraw returns for quarters not yet begun; the latest becomes the final return", "ask the applicant for the final return"],
                Apply = s =>
                {
                    s.Record(new ClosingStarted("coordinator"));
                    s.MoveTo(BidStage.Closing);
                    s.EndReturnsAt(s.Today);
                    s.Notify(Audience.Applicant, "final-return-requested");
                },
            },
            new()
            {
                Command = typeof(CloseBid), Action = "close the grant",
                From = [BidStage.Closing], To = BidStage.Closed, Roles = [Role.Coordinator],
                Guard = "every return, the final one included, has been accepted",
                Records = [nameof(UnspentReturned), nameof(BidClosed)], Asks = ["give the unspent award back to its budget line", "notify the applicant"],
                Check = s => s.State.Returns.FirstOrDefault(r => r.Status != ReturnStatus.Accepted) is { } open
                    ? $"The {open.Period().Label}{(open.IsFinal ? " (final)" : "")} return has not been accepted yet."
                    : null,
                Apply = s =>
                {
                    if (s.State.ApprovedAmount is { } award && s.State.BudgetLineId is { } line)
                    {
                        var spent = s.State.SpendToDate();
                        var unspent = new Funding(Math.Max(0m, award.Revenue - spent.Revenue), Math.Max(0m, award.Capital - spent.Capital));
                        if (unspent.Total > 0m)
                        {
                            s.MoveMoney(line, new Funding(-unspent.Revenue, -unspent.Capital));
                            s.State = s.State with { ReturnedAtClosure = unspent };
                            s.Record(new UnspentReturned(line, unspent));
                        }
                    }

                    s.Record(new BidClosed());
                    s.MoveTo(BidStage.Closed);
                    s.Notify(Audience.Applicant, "bid-closed");
                },
            },
            new()
            {
                Command = typeof(Withdraw), Action = "withdraw the bid",
                From = [.. beforeScreening, BidStage.Screening, BidStage.ChangesRequested, BidStage.HceRecommendation, BidStage.BoardApproval, BidStage.Contracting],
                To = BidStage.Withdrawn, Roles = [Role.Applicant],
                Guard = "a reason; once the signed contract is returned the bid can no longer be withdrawn",
                Records = [nameof(BidWithdrawn)], Asks = ["cancel every timer", "notify coordinators"],
                Check = s => s.State.SignedContractDocumentId is not null
                    ? "The signed contract has been returned, so the bid can no longer be withdrawn; ask the coordinator about a variation."
                    : Required(s.Cmd<Withdraw>().Reason, "Give a reason for withdrawing."),
                Apply = s =>
                {
                    var reason = s.Cmd<Withdraw>().Reason.Trim();
                    s.State = s.State with { OutcomeReason = reason };
                    s.Record(new BidWithdrawn(reason));
                    s.MoveTo(BidStage.Withdrawn);
                    s.Notify(Audience.Coordinators, "bid-withdrawn");
                },
            },
            new()
            {
                Command = typeof(FireTimer), Timer = TimerPurpose.DecisionReminder, Action = "send a reminder",
                From = stagesWithDeadlines, Roles = [Role.System],
                Guard = "the timer is still pending", Records = [nameof(ReminderSent)],
                Asks = ["remind whoever must act, with the due date"],
                Apply = s =>
                {
                    var timer = s.FiredTimer!;
                    s.Forget(timer);
                    var due = s.State.DecisionDueAt ?? timer.DueAt;
                    s.Record(new ReminderSent(timer.Id, timer.Stage, due));
                    s.Notify(ActingIn(timer.Stage)!.Value, "decision-reminder", due);
                },
            },
            new()
            {
                Command = typeof(FireTimer), Timer = TimerPurpose.DecisionEscalation, Action = "escalate an overdue decision",
                From = stagesWithDeadlines, Roles = [Role.System],
                Guard = "the timer is still pending", Records = [nameof(DecisionEscalated)],
                Asks = ["tell the fund's escalation contact", "tell whoever must act that it is overdue"],
                Apply = s =>
                {
                    var timer = s.FiredTimer!;
                    s.Forget(timer);
                    var escalateTo = s.Settings.Deadlines.For(timer.Stage)?.EscalateTo ?? Audience.Coordinators;
                    s.Record(new DecisionEscalated(timer.Id, timer.Stage, escalateTo));
                    s.Notify(escalateTo, "decision-escalation", s.State.DecisionDueAt);
                    s.Notify(ActingIn(timer.Stage)!.Value, "decision-overdue", s.State.DecisionDueAt);
                },
            },
            new()
            {
                Command = typeof(FireTimer), Timer = TimerPurpose.DeferralEnds, Action = "bring a deferred bid back to HCE",
                From = [BidStage.HceRecommendation], Roles = [Role.System],
                Guard = "the timer is still pending", Records = [nameof(DeferralEnded)],
                Asks = ["prompt HCE members again with a new due date", "reminder and escalation timers"],
                Apply = s =>
                {
                    s.Forget(s.FiredTimer!);
                    s.Record(new DeferralEnded(s.State.Recommendation?.DeferredUntil ?? s.Today));
                    s.StartDecisionWindow(Audience.HceMembers, "decision-prompt-hce");
                },
            },
            new()
            {
                Command = typeof(FireTimer), Timer = TimerPurpose.GrantPeriodEnds, Action = "close the grant period",
                From = [BidStage.Monitoring], To = BidStage.Closing, Roles = [Role.System],
                Guard = "the timer is still pending", Records = [nameof(ClosingStarted)],
                Asks = ["ask the applicant for the final return", "notify coordinators"],
                Apply = s =>
                {
                    s.Record(new ClosingStarted("the grant period ended"));
                    s.MoveTo(BidStage.Closing);
                    s.EndReturnsAt(s.Today);
                    s.Notify(Audience.Applicant, "final-return-requested");
                    s.Notify(Audience.Coordinators, "grant-period-ended");
                },
            },
        ]);
        transitions.AddRange(MonitoringTransitions());
        return transitions;
    }

    /// <summary>The award split evenly to the penny: the first on signature, then one after each quarter's return but the last, held until it is accepted.</summary>
    private static ImmutableList<Instalment> DefaultInstalments(Step s)
    {
        var award = s.State.ApprovedAmount ?? Funding.Zero;
        var quarters = FinancialQuarter.Covering(s.State.Proposal.GrantStart, s.State.Proposal.GrantEnd);
        var count = Math.Max(1, quarters.Count);
        var revenue = Split(award.Revenue, count);
        var capital = Split(award.Capital, count);
        return [.. Enumerable.Range(0, count).Select(i => new Instalment(
            i + 1,
            i == 0 ? s.Today : s.Settings.Monitoring.DueOn(quarters[i - 1], s.Settings.Calendar),
            new Funding(revenue[i], capital[i]),
            i == 0 ? null : quarters[i - 1].Key))];
    }

    private static decimal[] Split(decimal amount, int parts)
    {
        var each = decimal.Floor(amount * 100m / parts) / 100m;
        var shares = Enumerable.Repeat(each, parts).ToArray();
        shares[^1] = amount - (each * (parts - 1));
        return shares;
    }

    private static readonly BidStage[] ApplicantAttachStages =
        [BidStage.Draft, BidStage.ChangesRequested, BidStage.Contracting, BidStage.Monitoring, BidStage.Closing];

    private static string? AttachProblem(Step s)
    {
        var document = s.Cmd<AttachDocument>().Document;
        if (s.Command.Actor.Role == Role.Applicant && !ApplicantAttachStages.Contains(s.State.Stage))
        {
            return "Applicants can attach documents while the bid is a draft, when changes are requested, during contracting, monitoring and closing.";
        }

        var latest = s.State.LatestVersionOf(document.DocumentId);
        var expected = (latest?.Version ?? 0) + 1;
        if (document.Version != expected)
        {
            return $"This upload would be version {document.Version} but the next version of the document is {expected}.";
        }

        return latest is not null && latest.Kind != document.Kind
            ? $"This document is a {latest.Kind}; a new version cannot change it to a {document.Kind}."
            : null;
    }

    internal static string? ProposalProblem(BidProposal proposal)
    {
        if (string.IsNullOrWhiteSpace(proposal.Title) || proposal.Title.Trim().Length is < 3 or > 200)
        {
            return "Give the project a title of 3 to 200 characters.";
        }

        if (proposal.Summary.Length > 8000)
        {
            return "Keep the summary to 8,000 characters.";
        }

        if (proposal.Requested.Problem("The amount requested") is { } money)
        {
            return money;
        }

        if (proposal.GrantEnd <= proposal.GrantStart)
        {
            return "The grant period must end after it starts.";
        }

        return proposal.GrantEnd > proposal.GrantStart.AddYears(5) ? "A grant period cannot be longer than five years." : null;
    }

    private static string? SubmissionProblem(BidState state)
    {
        if (ProposalProblem(state.Proposal) is { } problem)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(state.Proposal.Summary))
        {
            return "Write a summary of the project before submitting.";
        }

        return state.HasDocument(DocumentKind.BusinessCase) ? null : "Attach the business case before submitting.";
    }

    private static string? Required(string? value, string problem) => string.IsNullOrWhiteSpace(value) ? problem : null;

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

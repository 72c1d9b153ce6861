using System.Collections.Immutable;
using Partnership.Workflows.Grants;

namespace Partnership.Workflows.Bids;

/// <summary>The contract sent, signed, returned and accepted, and the purchase order that starts monitoring.</summary>
public sealed partial class BidWorkflowDefinition
{
    private static IEnumerable<Transition> ContractingTransitions() =>
    [
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
    ];

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
}

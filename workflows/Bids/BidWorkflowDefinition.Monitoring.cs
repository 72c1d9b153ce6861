using System.Collections.Immutable;
using Partnership.Workflows.Grants;

namespace Partnership.Workflows.Bids;

/// <summary>Monitoring: quarterly returns and their reminder ladder, instalments and payments, variations.</summary>
public sealed partial class BidWorkflowDefinition
{
    private static BidStage[] Monitored => [BidStage.Monitoring, BidStage.Closing];

    private static IEnumerable<Transition> MonitoringTransitions() =>
    [
        new()
        {
            Command = typeof(SubmitReturn), Action = "submit a quarterly return",
            From = Monitored, Roles = [Role.Applicant],
            Guard = "the quarter has ended, its return is awaited or was sent back, amounts are in whole pence, forecasts are for later quarters of the grant, evidence is attached to the bid",
            Records = [nameof(ReturnSubmitted)], Asks = ["stop the return's reminders", "tell coordinators"],
            Check = s =>
            {
                var command = s.Cmd<SubmitReturn>();
                if (s.State.Return(command.Quarter) is not { } awaited)
                {
                    return $"This grant has no return for {command.Quarter}.";
                }

                if (awaited.IsReceived)
                {
                    return $"The {awaited.Period().Label} return has already been received.";
                }

                return s.Today < awaited.Period().End ? $"The {awaited.Period().Label} return can be sent once the quarter ends on {awaited.Period().End:d MMM yyyy}." : ReportProblem(s.State, command.Quarter, command.Report);
            },
            Apply = s =>
            {
                var command = s.Cmd<SubmitReturn>();
                s.UpdateReturn(command.Quarter, r => r with { Status = ReturnStatus.Submitted, Report = command.Report, SubmittedAt = s.Now, ChangesRequested = null });
                s.CancelTimers(t => t.Purpose == TimerPurpose.ReturnReminder && t.Subject == command.Quarter);
                s.Record(new ReturnSubmitted(command.Quarter, command.Report));
                s.Notify(Audience.Coordinators, "return-submitted");
            },
        },
        new()
        {
            Command = typeof(AcceptReturn), Action = "accept a quarterly return",
            From = Monitored, Roles = [Role.Coordinator],
            Guard = "the return has been submitted", Records = [nameof(ReturnAccepted), nameof(InstalmentReleased)],
            Asks = ["release instalments held for it", "tell the applicant"],
            Check = s => s.State.Return(s.Cmd<AcceptReturn>().Quarter) is { Status: ReturnStatus.Submitted } ? null : "There is no submitted return for that quarter to accept.",
            Apply = s =>
            {
                var quarter = s.Cmd<AcceptReturn>().Quarter;
                s.UpdateReturn(quarter, r => r with { Status = ReturnStatus.Accepted, AcceptedAt = s.Now });
                s.Record(new ReturnAccepted(quarter));
                foreach (var held in s.State.Instalments.Where(i => i.HeldUntilReturn == quarter).ToList())
                {
                    s.State = s.State with { Instalments = s.State.Instalments.Replace(held, held with { HeldUntilReturn = null }) };
                    s.Record(new InstalmentReleased(held.Number, quarter));
                }

                s.Notify(Audience.Applicant, "return-accepted");
            },
        },
        new()
        {
            Command = typeof(SendBackReturn), Action = "send a quarterly return back for changes",
            From = Monitored, Roles = [Role.Coordinator],
            Guard = "the return has been submitted, and there is a reason", Records = [nameof(ReturnSentBack)],
            Asks = ["tell the applicant what to change", "restart the return's reminders"],
            Check = s => s.State.Return(s.Cmd<SendBackReturn>().Quarter) is not { Status: ReturnStatus.Submitted }
                ? "There is no submitted return for that quarter to send back."
                : Required(s.Cmd<SendBackReturn>().Reason, "Say what needs changing."),
            Apply = s =>
            {
                var command = s.Cmd<SendBackReturn>();
                s.UpdateReturn(command.Quarter, r => r with { Status = ReturnStatus.ChangesRequested, ChangesRequested = command.Reason.Trim() });
                s.Record(new ReturnSentBack(command.Quarter, command.Reason.Trim()));
                s.Notify(Audience.Applicant, "return-sent-back");
                s.ArmLadder(s.State.Return(command.Quarter)!, after: null);
            },
        },
        new()
        {
            Command = typeof(FireTimer), Timer = TimerPurpose.ReturnReminder, Action = "remind about a quarterly return",
            From = Monitored, Roles = [Role.System],
            Guard = "the timer is still pending", Records = [nameof(ReturnReminderSent), nameof(ReturnEscalated)],
            Asks = ["remind the applicant", "1 day late: tell coordinators", "14 days late: flag for HCE", "the next rung of the ladder"],
            Apply = s =>
            {
                var timer = s.FiredTimer!;
                s.Forget(timer);
                var awaited = s.State.Return(timer.Subject!)!;
                var step = s.LatestStepDue(awaited.DueOn, timer.Step);
                s.Record(new ReturnReminderSent(awaited.Quarter, step, awaited.DueOn));
                s.Notify(Audience.Applicant, step < 0 ? "return-due-soon" : step == 0 ? "return-due-today" : "return-overdue", s.Settings.Calendar.At(awaited.DueOn, new TimeOnly(17, 0)));
                var daysLate = s.Today.DayNumber - awaited.DueOn.DayNumber;
                var monitoring = s.Settings.Monitoring;
                var escalation = awaited.Escalation;
                if (daysLate >= monitoring.EscalateToCoordinatorsAfterDays && escalation < ReturnEscalation.Coordinators)
                {
                    escalation = ReturnEscalation.Coordinators;
                    s.Record(new ReturnEscalated(awaited.Quarter, escalation, daysLate));
                    s.Notify(Audience.Coordinators, "return-overdue-coordinators");
                }

                if (daysLate >= monitoring.FlagForHceAfterDays && escalation < ReturnEscalation.Hce)
                {
                    escalation = ReturnEscalation.Hce;
                    s.Record(new ReturnEscalated(awaited.Quarter, escalation, daysLate));
                    s.Notify(Audience.HceMembers, "return-overdue-hce");
                }

                s.UpdateReturn(awaited.Quarter, r => r with { LastReminderAt = s.Now, RemindersSent = r.RemindersSent + 1, Escalation = escalation });
                s.ArmLadder(s.State.Return(awaited.Quarter)!, after: step);
            },
        },
        new()
        {
            Command = typeof(SetInstalments), Action = "set the instalment schedule",
            From = [BidStage.Contracting, BidStage.PurchaseOrder, BidStage.Monitoring], Roles = [Role.Coordinator, Role.FinanceOfficer],
            Guard = "numbered from 1, in whole pence, adding up to the award exactly, and nothing paid yet",
            Records = [nameof(InstalmentsScheduled)], Asks = [],
            Check = s => InstalmentProblem(s.State, s.Cmd<SetInstalments>().Instalments),
            Apply = s =>
            {
                var instalments = s.Cmd<SetInstalments>().Instalments.OrderBy(i => i.Number).ToImmutableList();
                s.State = s.State with { Instalments = instalments };
                s.Record(new InstalmentsScheduled(instalments));
            },
        },
        new()
        {
            Command = typeof(HoldInstalment), Action = "hold an instalment until a return is accepted",
            From = [BidStage.Monitoring], Roles = [Role.Coordinator],
            Guard = "the instalment is not yet paid and the return is one of this grant's, not yet accepted",
            Records = [nameof(InstalmentHeld)], Asks = [],
            Check = s =>
            {
                var command = s.Cmd<HoldInstalment>();
                if (s.State.Instalments.FirstOrDefault(i => i.Number == command.Instalment) is null || s.State.Payments.Any(p => p.Instalment == command.Instalment))
                {
                    return $"There is no unpaid instalment {command.Instalment}.";
                }

                return s.State.Return(command.Quarter) is { Status: not ReturnStatus.Accepted } ? null : $"The grant has no outstanding return for {command.Quarter}.";
            },
            Apply = s =>
            {
                var command = s.Cmd<HoldInstalment>();
                var instalment = s.State.Instalments.First(i => i.Number == command.Instalment);
                s.State = s.State with { Instalments = s.State.Instalments.Replace(instalment, instalment with { HeldUntilReturn = command.Quarter }) };
                s.Record(new InstalmentHeld(command.Instalment, command.Quarter));
            },
        },
        new()
        {
            Command = typeof(RecordPayment), Action = "record a payment",
            From = Monitored, Roles = [Role.FinanceOfficer],
            Guard = "a scheduled instalment, not held, no return overdue, and payments never exceed the instalment or the award",
            Records = [nameof(PaymentRecorded)], Asks = ["tell the applicant"],
            Check = PaymentProblem,
            Apply = s =>
            {
                var command = s.Cmd<RecordPayment>();
                var payment = new Payment(command.Instalment, command.Amount, command.PaidOn, command.Reference.Trim(), command.Actor.UserId);
                s.State = s.State with { Payments = s.State.Payments.Add(payment) };
                s.Record(new PaymentRecorded(payment));
                s.Notify(Audience.Applicant, "payment-made");
            },
        },
        new()
        {
            Command = typeof(ProposeVariation), Action = "propose a variation",
            From = [BidStage.Monitoring], Roles = [Role.Coordinator],
            Guard = "no other variation is waiting for HCE, and the change itself is sound (see the variation's kind)",
            Records = [nameof(VariationProposed)], Asks = ["ask HCE to agree or decline"],
            Check = s => s.State.PendingVariation is not null ? "Another variation is waiting for HCE's decision." : VariationProblem(s.State, s.Cmd<ProposeVariation>().Variation, s.Today),
            Apply = s =>
            {
                var variation = s.Cmd<ProposeVariation>().Variation;
                s.State = s.State with { PendingVariation = variation };
                s.Record(new VariationProposed(variation));
                s.Notify(Audience.HceMembers, "variation-proposed");
            },
        },
        new()
        {
            Command = typeof(DecideVariation), Action = "decide on a variation",
            From = [BidStage.Monitoring], Roles = [Role.HceMember],
            Guard = "a variation is waiting; a decline gives a reason; money moves with the decision, within what the budget line holds",
            Records = [nameof(VariationAgreed), nameof(VariationDeclined)],
            Asks = ["move money on the budget line", "transfer underspend to the other project", "reschedule returns for a new end date", "tell coordinators and the applicant"],
            Check = s => s.State.PendingVariation is not { } pending ? "No variation is waiting for a decision."
                : !s.Cmd<DecideVariation>().Agree ? Required(s.Cmd<DecideVariation>().Reason, "Give the reason for declining.")
                : VariationProblem(s.State, pending, s.Today),
            Apply = ApplyVariationDecision,
        },
        new()
        {
            Command = typeof(RecordDelivery), Action = "record what became of a message",
            From = [.. Enum.GetValues<BidStage>()], Roles = [Role.System],
            Guard = "none; a report about a closed bid is still a fact about it", Records = [nameof(DeliveryReported)],
            Asks = ["alert coordinators when a decision prompt bounced or was dropped"],
            Apply = s =>
            {
                var command = s.Cmd<RecordDelivery>();
                s.Record(new DeliveryReported(command.EffectId, command.Recipient, command.Template, command.Outcome, command.Reason, command.ReportedAt));
                if (command.Outcome is DeliveryOutcome.Bounced or DeliveryOutcome.Dropped && command.Template.StartsWith("decision-", StringComparison.Ordinal))
                {
                    s.Notify(Audience.Coordinators, "prompt-undelivered");
                }
            },
        },
        new()
        {
            Command = typeof(ReceiveTransfer), Action = "receive underspend from another grant",
            From = [BidStage.Contracting, BidStage.PurchaseOrder, BidStage.Monitoring], Roles = [Role.System],
            Guard = "an amount in whole pence, which the budget line must still hold", Records = [nameof(TransferReceived)],
            Asks = ["allocate the amount from the line", "tell coordinators and the applicant"],
            Check = s => s.Cmd<ReceiveTransfer>().Amount.Problem("The amount transferred"),
            Apply = s =>
            {
                var command = s.Cmd<ReceiveTransfer>();
                s.State = s.State with { ApprovedAmount = (s.State.ApprovedAmount ?? Funding.Zero) + command.Amount };
                s.MoveMoney(command.LineId, command.Amount);
                s.Record(new TransferReceived(command.FromBidId, command.LineId, command.Amount));
                s.Notify(Audience.Applicant, "transfer-received");
                s.Notify(Audience.Coordinators, "transfer-received");
            },
        },
    ];

    private static void ApplyVariationDecision(Step s)
    {
        var variation = s.State.PendingVariation!;
        var command = s.Cmd<DecideVariation>();
        s.State = s.State with { PendingVariation = null };
        if (!command.Agree)
        {
            s.Record(new VariationDeclined(variation, command.Reason!.Trim()));
            s.Notify(Audience.Coordinators, "variation-declined");
            return;
        }

        var award = s.State.ApprovedAmount!;
        var line = s.State.BudgetLineId!;
        switch (variation.Kind)
        {
            case VariationKind.ChangeAward:
                var change = new Funding(variation.NewAward!.Revenue - award.Revenue, variation.NewAward.Capital - award.Capital);
                s.State = s.State with { ApprovedAmount = variation.NewAward };
                s.MoveMoney(line, change);
                break;
            case VariationKind.MoveUnderspend:
                var amount = variation.Amount!;
                s.State = s.State with { ApprovedAmount = new Funding(award.Revenue - amount.Revenue, award.Capital - amount.Capital) };
                s.MoveMoney(line, new Funding(-amount.Revenue, -amount.Capital));
                s.Effects.Add(new TransferFunding(variation.ToBidId!, line, amount));
                break;
            case VariationKind.ChangeBudgetLine:
                var unspent = new Funding(award.Revenue - s.State.SpendToDate().Revenue, award.Capital - s.State.SpendToDate().Capital);
                s.MoveMoney(line, new Funding(-unspent.Revenue, -unspent.Capital));
                s.MoveMoney(variation.ToLineId!, unspent);
                s.State = s.State with { BudgetLineId = variation.ToLineId };
                break;
            case VariationKind.ChangeEndDate:
                s.ChangeEndDate(variation.NewEndDate!.Value);
                break;
            case VariationKind.ChangeMilestones:
                break;
            default:
                throw new InvalidOperationException($"Unknown variation {variation.Kind}.");
        }

        s.Record(new VariationAgreed(variation));
        s.Notify(Audience.Coordinators, "variation-agreed");
        s.Notify(Audience.Applicant, "variation-agreed");
    }

    private static string? ReportProblem(BidState state, string quarter, ReturnReport report)
    {
        if (report.ActualSpend.Revenue < 0 || report.ActualSpend.Capital < 0 || !PenceExact(report.ActualSpend) || !PenceExact(report.IdentifiedUnderspend)
            || report.IdentifiedUnderspend.Revenue < 0 || report.IdentifiedUnderspend.Capital < 0)
        {
            return "Spend and underspend are amounts in whole pence, not negative.";
        }

        var later = state.Returns.Where(r => string.CompareOrdinal(r.Quarter, quarter) > 0).Select(r => r.Quarter).ToHashSet();
        if (report.Forecasts.Any(f => !later.Contains(f.Quarter) || f.Amount.Revenue < 0 || f.Amount.Capital < 0 || !PenceExact(f.Amount)))
        {
            return "Forecasts are for the grant's later quarters, in whole pence.";
        }

        if (report.Forecasts.Select(f => f.Quarter).Distinct().Count() != report.Forecasts.Count)
        {
            return "Give one forecast per quarter.";
        }

        if (report.Milestones.Any(m => string.IsNullOrWhiteSpace(m.Milestone)) || report.Outcomes.Any(o => string.IsNullOrWhiteSpace(o.Measure)))
        {
            return "Name every milestone and outcome measure.";
        }

        var missing = report.EvidenceDocumentIds.FirstOrDefault(id => state.LatestVersionOf(id) is null);
        return missing is not null ? $"Evidence document {missing} is not attached to this bid; upload it first." : null;
    }

    private static bool PenceExact(Funding amount) => Funding.IsPenceExact(amount.Revenue) && Funding.IsPenceExact(amount.Capital);

    private static string? InstalmentProblem(BidState state, IReadOnlyList<Instalment> instalments)
    {
        if (state.Payments.Count > 0)
        {
            return "Payments have been made; change the schedule by a variation instead.";
        }

        if (instalments.Count == 0 || !instalments.Select(i => i.Number).Order().SequenceEqual(Enumerable.Range(1, instalments.Count)))
        {
            return "Number the instalments 1, 2, 3 and so on.";
        }

        if (instalments.Any(i => !PenceExact(i.Amount) || i.Amount.Revenue < 0 || i.Amount.Capital < 0 || i.Amount.Total == 0))
        {
            return "Each instalment is an amount in whole pence.";
        }

        var total = instalments.Aggregate(Funding.Zero, (sum, i) => sum + i.Amount);
        return total == state.ApprovedAmount ? null
            : $"The instalments add up to {Money.Pounds(total.Total)} but the award is {Money.Pounds(state.ApprovedAmount?.Total ?? 0m)}; they must match revenue and capital exactly.";
    }

    private static string? PaymentProblem(Step s)
    {
        var command = s.Cmd<RecordPayment>();
        var state = s.State;
        if (state.Instalments.FirstOrDefault(i => i.Number == command.Instalment) is not { } instalment)
        {
            return $"There is no instalment {command.Instalment}.";
        }

        if (command.Amount.Problem("The payment") is { } money)
        {
            return money;
        }

        if (string.IsNullOrWhiteSpace(command.Reference) || command.PaidOn > s.Today)
        {
            return "Give the payment reference and a payment date that is not in the future.";
        }

        if (instalment.HeldUntilReturn is { } quarter)
        {
            return $"Instalment {instalment.Number} is held until the {FinancialQuarter.Parse(quarter).Label} return is accepted.";
        }

        if (state.FirstOverdueReturn(s.Today) is { } overdue)
        {
            return $"Payments are held while the {overdue.Period().Label} return is overdue (it was due on {overdue.DueOn:d MMMM yyyy}).";
        }

        var paidOnInstalment = state.Payments.Where(p => p.Instalment == instalment.Number).Aggregate(Funding.Zero, (sum, p) => sum + p.Amount);
        if (paidOnInstalment.Revenue + command.Amount.Revenue > instalment.Amount.Revenue || paidOnInstalment.Capital + command.Amount.Capital > instalment.Amount.Capital)
        {
            return $"That is more than is left of instalment {instalment.Number}.";
        }

        var paid = state.Paid;
        var award = state.ApprovedAmount ?? Funding.Zero;
        return paid.Revenue + command.Amount.Revenue > award.Revenue || paid.Capital + command.Amount.Capital > award.Capital
            ? "Payments cannot exceed the award."
            : null;
    }

    private static string? VariationProblem(BidState state, Variation variation, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(variation.Reason))
        {
            return "Give the reason for the variation.";
        }

        var award = state.ApprovedAmount ?? Funding.Zero;
        var spent = state.SpendToDate();
        switch (variation.Kind)
        {
            case VariationKind.ChangeAward when variation.NewAward is { } newAward:
                if (newAward.Revenue < 0 || newAward.Capital < 0 || !PenceExact(newAward))
                {
                    return "The new award is an amount in whole pence.";
                }

                return newAward.Revenue < state.Paid.Revenue || newAward.Capital < state.Paid.Capital
                    ? "The new award cannot be less than has already been paid."
                    : newAward == award ? "The new award is the same as the current one." : null;
            case VariationKind.MoveUnderspend when variation.Amount is { } amount && !string.IsNullOrWhiteSpace(variation.ToBidId):
                if (amount.Problem("The amount to move") is { } problem)
                {
                    return problem;
                }

                if (variation.ToBidId == state.BidId)
                {
                    return "Underspend moves to another project, not this one.";
                }

                return amount.Revenue > award.Revenue - spent.Revenue || amount.Capital > award.Capital - spent.Capital
                    ? "Only unspent award can move to another project."
                    : null;
            case VariationKind.ChangeBudgetLine when !string.IsNullOrWhiteSpace(variation.ToLineId):
                return variation.ToLineId == state.BudgetLineId ? "The grant is already funded from that line." : null;
            case VariationKind.ChangeEndDate when variation.NewEndDate is { } end:
                return end <= state.Proposal.GrantStart || end < today ? "The new end date must be after the grant starts and not in the past."
                    : end == state.Proposal.GrantEnd ? "That is the current end date." : null;
            case VariationKind.ChangeMilestones when !string.IsNullOrWhiteSpace(variation.Milestones):
                return null;
            default:
                return variation.Kind switch
                {
                    VariationKind.ChangeAward => "Give the new award.",
                    VariationKind.MoveUnderspend => "Give the amount and the project it moves to.",
                    VariationKind.ChangeBudgetLine => "Give the budget line to fund the grant from.",
                    VariationKind.ChangeEndDate => "Give the new end date.",
                    _ => "Describe the new milestones.",
                };
        }
    }
}

/// <summary>Monitoring's part of a transition's working area.</summary>
internal static class MonitoringSteps
{
    private static readonly TimeOnly LadderTime = new(9, 0);

    public static void UpdateReturn(this Step s, string quarter, Func<QuarterlyReturn, QuarterlyReturn> change)
    {
        var current = s.State.Return(quarter)!;
        s.State = s.State with { Returns = s.State.Returns.Replace(current, change(current)) };
    }

    /// <summary>The returns for these quarters, each with the first rung of its reminder ladder.</summary>
    public static void ScheduleReturns(this Step s, IEnumerable<FinancialQuarter> quarters, DateOnly grantEnd)
    {
        var added = quarters
            .Where(q => s.State.Return(q.Key) is null)
            .Select(q => new QuarterlyReturn(q.Key, s.Settings.Monitoring.DueOn(q, s.Settings.Calendar), IsFinal: q.End >= grantEnd))
            .ToImmutableList();
        if (added.IsEmpty)
        {
            return;
        }

        s.State = s.State with { Returns = s.State.Returns.AddRange(added) };
        s.Record(new ReturnsScheduled(added));
        foreach (var scheduled in added)
        {
            s.ArmLadder(scheduled, after: null);
        }
    }

    /// <summary>
    /// Sets the return's next reminder. A return that is already late when its ladder starts is reminded at once (once,
    /// not once per missed rung); otherwise the next rung that lies ahead.
    /// </summary>
    public static void ArmLadder(this Step s, QuarterlyReturn awaited, int? after)
    {
        var ladder = s.Settings.Monitoring;
        var step = ladder.NextStep(after);
        if (after is null)
        {
            var due = s.LatestStepDue(awaited.DueOn, step);
            step = At(s, awaited.DueOn, due) <= s.Now && due >= 0 ? due : FirstAhead(s, awaited.DueOn, step);
        }
        else
        {
            step = FirstAhead(s, awaited.DueOn, step);
        }

        s.SetTimer(TimerPurpose.ReturnReminder, At(s, awaited.DueOn, step), awaited.Quarter, step);
    }

    /// <summary>The last rung, from <paramref name="from"/> on, whose time has come: a timer fired late speaks for where the ladder is now.</summary>
    public static int LatestStepDue(this Step s, DateOnly dueOn, int from)
    {
        var step = from;
        for (var next = s.Settings.Monitoring.NextStep(step); At(s, dueOn, next) <= s.Now; next = s.Settings.Monitoring.NextStep(next))
        {
            step = next;
        }

        return step;
    }

    /// <summary>Closing: returns for quarters not yet begun are withdrawn and the latest one left is the final return.</summary>
    public static void EndReturnsAt(this Step s, DateOnly today)
    {
        var unstarted = s.State.Returns.Where(r => !r.IsReceived && r.Period().Start > today).Select(r => r.Quarter).ToImmutableList();
        if (!unstarted.IsEmpty)
        {
            s.CancelTimers(t => t.Purpose == TimerPurpose.ReturnReminder && unstarted.Contains(t.Subject!));
            s.State = s.State with { Returns = s.State.Returns.RemoveAll(r => unstarted.Contains(r.Quarter)) };
            s.Record(new ReturnsWithdrawn(unstarted));
        }

        var last = s.State.Returns.MaxBy(r => r.Quarter, StringComparer.Ordinal);
        s.State = s.State with { Returns = [.. s.State.Returns.Select(r => r with { IsFinal = r.Quarter == last?.Quarter })] };
    }

    /// <summary>Moves the end of the grant: returns for new quarters are scheduled, those past the new end withdrawn.</summary>
    public static void ChangeEndDate(this Step s, DateOnly end)
    {
        s.State = s.State with { Proposal = s.State.Proposal with { GrantEnd = end } };
        var beyond = s.State.Returns.Where(r => !r.IsReceived && r.Period().Start > end).Select(r => r.Quarter).ToImmutableList();
        if (!beyond.IsEmpty)
        {
            s.CancelTimers(t => t.Purpose == TimerPurpose.ReturnReminder && beyond.Contains(t.Subject!));
            s.State = s.State with { Returns = s.State.Returns.RemoveAll(r => beyond.Contains(r.Quarter)) };
            s.Record(new ReturnsWithdrawn(beyond));
        }

        s.State = s.State with { Returns = [.. s.State.Returns.Select(r => r with { IsFinal = r.Period().End >= end })] };
        s.ScheduleReturns(FinancialQuarter.Covering(s.State.Proposal.GrantStart, end), end);
        s.CancelTimers(t => t.Purpose == TimerPurpose.GrantPeriodEnds);
        s.SetTimer(TimerPurpose.GrantPeriodEnds, s.MorningOf(end.AddDays(1)));
    }

    private static int FirstAhead(Step s, DateOnly dueOn, int step)
    {
        while (At(s, dueOn, step) <= s.Now)
        {
            step = s.Settings.Monitoring.NextStep(step);
        }

        return step;
    }

    private static DateTimeOffset At(Step s, DateOnly dueOn, int step) => s.Settings.Calendar.At(dueOn.AddDays(step), LadderTime);
}

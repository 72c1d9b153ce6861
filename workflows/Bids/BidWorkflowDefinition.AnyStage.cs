namespace Partnership.Workflows.Bids;

/// <summary>What applies in many stages: documents, withdrawal, and the reminders and escalations of every decision window.</summary>
public sealed partial class BidWorkflowDefinition
{
    private static IEnumerable<Transition> AnyStageTransitions(int version)
    {
        var beforeScreening = version == 1 ? Active(BidStage.Draft, BidStage.Submitted) : Active(BidStage.Draft);
        var stagesWithDeadlines = FundDeadlines.StagesWithDeadlines.Where(s => version == 1 || s != BidStage.Submitted).ToArray();
        return
        [
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
                        s.Effects.Add(new Notify(ActingIn(timer.Stage)!.Value, "decision-reminder", due) { Only = TakingPartIn(s, timer.Stage) });
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
                        s.Effects.Add(new Notify(ActingIn(timer.Stage)!.Value, "decision-overdue", s.State.DecisionDueAt) { Only = TakingPartIn(s, timer.Stage) });
                    },
                },
        ];
    }

    /// <summary>From version 4, a body's reminders go only to its members who may take part in the bid's decisions.</summary>
    private static System.Collections.Immutable.ImmutableArray<string>? TakingPartIn(Step s, BidStage stage) =>
        s.State.DefinitionVersion >= BodiesVersion && Decisions.DecidingStages.BodyIn(stage) is { } body && s.Settings.Governance.Bodies.ContainsKey(body)
            ? s.Settings.Governance.TakingPart(body)
            : null;

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
}

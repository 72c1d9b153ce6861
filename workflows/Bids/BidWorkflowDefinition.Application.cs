namespace Partnership.Workflows.Bids;

/// <summary>Drafting, submission, screening and changes, up to the referral to HCE.</summary>
public sealed partial class BidWorkflowDefinition
{
    private static List<Transition> ApplicationTransitions(int version)
    {
        var submittedTo = version == 1 ? BidStage.Submitted : BidStage.Screening;
        List<Transition> transitions =
        [
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
        ];
        if (version == 1)
        {
            transitions.Add(
                new()
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
        ]);
        return transitions;
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

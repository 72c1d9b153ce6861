using Partnership.Workflows.Decisions;
using System.Collections.Immutable;

namespace Partnership.Workflows.Bids;

/// <summary>Drafting, submission, screening and changes, up to the referral to HCE.</summary>
public sealed partial class BidWorkflowDefinition
{
    private static List<Transition> ApplicationTransitions(int version)
    {
        var submittedTo = version == 1 ? BidStage.Submitted : BidStage.Screening;
        var writtenCase = version >= WrittenCaseVersion;
        var complete = writtenCase ? "a complete proposal and a complete business case" : "a complete proposal and a business case document";
        List<Transition> transitions =
        [
            new()
            {
                Command = typeof(EditDraft), Action = "edit the proposal",
                From = [BidStage.Draft, BidStage.ChangesRequested], Roles = [Role.Applicant],
                Guard = writtenCase
                    ? "a title, a grant period that ends after it starts, and a business case whose every entry keeps its rules and whose cost lines add up to the amount requested"
                    : "a title, a summary, an amount in whole pence and a grant period that ends after it starts",
                Records = [nameof(DraftEdited)], Asks = [],
                Check = s => ProposalProblem(s.Cmd<EditDraft>().Proposal, version),
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
                Guard = complete,
                Records = [nameof(BidSubmitted)],
                Asks = ["notify the applicant (bid received)", "prompt coordinators with the due date", "reminder and escalation timers"],
                Check = s => SubmissionProblem(s.State, version),
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
        if (writtenCase)
        {
            transitions.Add(
                new()
                {
                    Command = typeof(ChangeDraft), Action = "change one part of the proposal",
                    From = [BidStage.Draft, BidStage.ChangesRequested], Roles = [Role.Applicant],
                    Guard = "the part changed on the proposal as it stands now, which then keeps every rule an edit keeps",
                    Records = [nameof(DraftEdited)], Asks = [],
                    Check = s => Changed(s, out var problem) is { } changed ? ProposalProblem(changed, version) : problem,
                    Apply = s =>
                    {
                        var changed = Changed(s, out _)!;
                        s.State = s.State with { Proposal = changed };
                        s.Record(new DraftEdited(changed));
                    },
                });
        }

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
                Check = s => Required(s.Cmd<RequestChanges>().Reason, "Say what the applicant needs to change.") ?? SectionCommentsProblem(s.Cmd<RequestChanges>(), s.State),
                Apply = s =>
                {
                    var reason = s.Cmd<RequestChanges>().Reason.Trim();
                    var sections = s.Cmd<RequestChanges>().Sections.Where(c => !string.IsNullOrWhiteSpace(c.Value)).ToImmutableDictionary(c => c.Key, c => c.Value.Trim());
                    s.State = s.State with { ChangesRequested = reason, ChangeComments = sections };
                    s.Record(new ChangesWereRequested(reason) { Sections = sections });
                    s.MoveTo(BidStage.ChangesRequested);
                    s.StartDecisionWindow(Audience.Applicant, "changes-requested");
                },
            },
            new()
            {
                Command = typeof(Resubmit), Action = "resubmit the bid",
                From = [BidStage.ChangesRequested], To = BidStage.Screening, Roles = [Role.Applicant],
                Guard = complete, Records = [nameof(BidResubmitted)],
                Asks = ["prompt coordinators with the due date", "reminder and escalation timers"],
                Check = s => SubmissionProblem(s.State, version),
                Apply = s =>
                {
                    s.State = s.State with { ChangesRequested = null, ChangeComments = ImmutableDictionary<CaseSection, string>.Empty };
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
                    s.StartDecisionWindow(Audience.HceMembers, "decision-prompt-hce", version >= BodiesVersion ? s.Settings.Governance.TakingPart(BodyKind.Hce) : null);
                },
            },
        ]);
        return transitions;
    }

    /// <summary>The first version whose bids hold their business case; earlier bids keep the attached document.</summary>
    public const int WrittenCaseVersion = 3;

    private static BidProposal? Changed(Step s, out string? problem)
    {
        problem = "Say what to change.";
        return s.Cmd<ChangeDraft>().Change?.ApplyTo(s.State.Proposal, out problem);
    }

    internal static string? ProposalProblem(BidProposal proposal, int version)
    {
        if (string.IsNullOrWhiteSpace(proposal.Title) || proposal.Title.Trim().Length is < 3 or > 200)
        {
            return "Give the project a title of 3 to 200 characters.";
        }

        if (proposal.Summary.Length > 8000)
        {
            return "Keep the summary to 8,000 characters.";
        }

        if (version < WrittenCaseVersion && proposal.Case is not null)
        {
            return $"This bid was started under version {version} of the workflow, before business cases were written here: edit its title, summary, amount and grant period, and attach the business case as a document.";
        }

        var money = version >= WrittenCaseVersion && proposal.Requested.Total == 0m ? null : proposal.Requested.Problem("The amount requested");
        if (money is not null)
        {
            return money;
        }

        if (proposal.Case is { } businessCase)
        {
            if (BusinessCaseRules.Shape(businessCase) is [var first, ..])
            {
                return first.Message;
            }

            if (businessCase.Totals != proposal.Requested)
            {
                return $"The amount requested must be what the cost lines add up to: {Money.Pounds(businessCase.Totals.Revenue)} revenue and {Money.Pounds(businessCase.Totals.Capital)} capital.";
            }
        }

        if (proposal.GrantEnd <= proposal.GrantStart)
        {
            return "The grant period must end after it starts.";
        }

        return proposal.GrantEnd > proposal.GrantStart.AddYears(5) ? "A grant period cannot be longer than five years." : null;
    }

    private static string? SubmissionProblem(BidState state, int version)
    {
        if (ProposalProblem(state.Proposal, version) is { } problem)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(state.Proposal.Summary))
        {
            return "Write a summary of the project before submitting.";
        }

        if (version < WrittenCaseVersion)
        {
            return state.HasDocument(DocumentKind.BusinessCase) ? null : "Attach the business case before submitting.";
        }

        return BusinessCaseRules.Missing(state.Proposal.Case ?? new BusinessCase()) is [var missing, ..]
            ? $"The business case is not finished: {missing.Message}"
            : null;
    }

    private static string? SectionCommentsProblem(RequestChanges command, BidState state)
    {
        if (command.Sections.Count > 0 && state.DefinitionVersion < WrittenCaseVersion)
        {
            return "This bid has no written business case to comment on section by section; put everything in the reason.";
        }

        return command.Sections.Values.Any(c => c.Length > BusinessCaseRules.MaxText) ? $"Keep each section's comment to {BusinessCaseRules.MaxText:N0} characters." : null;
    }

    private static string? Required(string? value, string problem) => string.IsNullOrWhiteSpace(value) ? problem : null;

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

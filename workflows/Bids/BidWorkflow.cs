namespace Partnership.Workflows.Bids;

/// <summary>
/// The bid state machine. Deciding is a pure function of (state, command, now): it reads no clock and does no
/// I/O, and an expected refusal comes back as a <see cref="Refused"/> value. The fund's settings (deadlines and
/// calendar) are given once, at construction.
/// </summary>
public sealed class BidWorkflow(BidWorkflowSettings settings)
{
    public BidWorkflowSettings Settings { get; } = settings;

    /// <summary>Opens a new bid as a draft under the current definition.</summary>
    public static Decision Start(StartBid command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Actor.Role != Role.Applicant)
        {
            return new Refused(RefusalKind.Forbidden, "Only applicants can start a bid.");
        }

        if (command.Actor.OrganisationId is null || command.Actor.OrganisationId != command.OrganisationId)
        {
            return new Refused(RefusalKind.Forbidden, "You can start bids only for your own organisation.");
        }

        if (BidWorkflowDefinition.ProposalProblem(command.Proposal, BidWorkflowDefinition.CurrentVersion) is { } problem)
        {
            return new Refused(RefusalKind.Invalid, problem);
        }

        var version = BidWorkflowDefinition.CurrentVersion;
        var state = new BidState
        {
            BidId = command.BidId,
            FundId = command.FundId,
            OrganisationId = command.OrganisationId,
            ApplicantUserId = command.Actor.UserId,
            DefinitionVersion = version,
            Proposal = command.Proposal,
            CreatedAt = now,
            StageEnteredAt = now,
            Version = 1,
        };
        var started = new BidStarted(command.FundId, command.OrganisationId, command.Proposal, version) { At = now, By = command.Actor.UserId };
        return new Accepted(state, [started], []);
    }

    public Decision Decide(BidState state, BidCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        var definition = BidWorkflowDefinition.ForVersion(state.DefinitionVersion);
        PendingTimer? fired = null;
        if (command is FireTimer fire)
        {
            fired = state.Timers.FirstOrDefault(t => t.Id == fire.TimerId);
            if (fired is null)
            {
                return new Ignored($"Timer {fire.TimerId} no longer applies to this bid.");
            }

            if (fired.DueAt > now)
            {
                return new Refused(RefusalKind.Invalid, $"Timer {fire.TimerId} is not due until {fired.DueAt:u}.");
            }
        }

        var candidates = definition.Transitions
            .Where(t => t.Command == command.GetType() && (fired is null || t.Timer == fired.Purpose))
            .ToList();
        if (candidates.Count == 0)
        {
            return new Refused(RefusalKind.WrongStage, $"{command.GetType().Name} is not part of version {definition.Version} of the bid workflow.");
        }

        var transition = candidates.FirstOrDefault(t => t.From.Contains(state.Stage));
        if (transition is null)
        {
            return new Refused(RefusalKind.WrongStage, $"You cannot {candidates[0].Action} while the bid is at the {state.Stage} stage.");
        }

        if (!transition.Roles.Contains(command.Actor.Role))
        {
            return new Refused(RefusalKind.Forbidden, $"Only {string.Join(" or ", transition.Roles.Where(r => r != Role.System).Select(Plural))} can {transition.Action}.");
        }

        if (command.Actor.Role == Role.Applicant && command.Actor.OrganisationId != state.OrganisationId)
        {
            return new Refused(RefusalKind.Forbidden, "You can act only on your own organisation's bids.");
        }

        var step = new Step(state, command, now, Settings) { FiredTimer = fired };
        if (transition.Check(step) is { } problem)
        {
            return new Refused(RefusalKind.Invalid, problem);
        }

        transition.Apply(step);
        return new Accepted(step.State with { Version = state.Version + 1 }, step.Events, step.Effects, step.Moves);
    }

    private static string Plural(Role role) => role switch
    {
        Role.Applicant => "the applicant",
        Role.Coordinator => "coordinators",
        Role.HceMember => "HCE members",
        Role.BoardMember => "Board members",
        Role.FinanceOfficer => "finance officers",
        Role.Auditor => "auditors",
        _ => "the system",
    };
}

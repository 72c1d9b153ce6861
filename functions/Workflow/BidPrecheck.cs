using Partnership.Functions.Budgets;
using System.Collections.Immutable;
using Partnership.Functions.Funds;
using Partnership.Functions.Governance;
using Partnership.Functions.Identity;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Workflow;

/// <summary>
/// What the bid as last recorded makes of a command: an answer already (with no <paramref name="Rules"/> when
/// there is no bid or fund to decide by), or none, and the command is worth sending to the bid.
/// </summary>
public sealed record Precheck(BidSnapshot? Snapshot, BidRules? Rules, CommandResult? Answer);

/// <summary>
/// Decides a command on the bid as last recorded, with the pure workflow, before anything is sent or written: a
/// refusal here is the answer; an acceptance is only a forecast, since the bid's orchestration decides again on
/// the state it holds.
/// </summary>
public sealed class BidPrecheck(BidRepository repository, FundStore funds, BudgetLedger ledger, Outcomes.OutcomeStore measures, UserDirectory users, InterestStore interests, WorkingCalendar calendar)
{
    public async Task<Precheck> CheckAsync(string bidId, BidCommand command, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var snapshot = await repository.LoadAsync(bidId, cancellationToken);
        if (snapshot is null && command is not StartBid
            || snapshot is not null && command.Actor.Role != Role.System && !command.Actor.MayRead(snapshot.State.OrganisationId))
        {
            // A bid the caller may not read answers as no bid, before any stage is revealed.
            return new Precheck(snapshot, null, new CommandResult(bidId, CommandOutcome.NotFound, Reason: "There is no bid with this id that you can read."));
        }

        var fundId = snapshot?.State.FundId ?? ((StartBid)command).FundId;
        if (await funds.FindAsync(fundId, cancellationToken) is not { } fund)
        {
            return new Precheck(snapshot, null, new CommandResult(bidId, CommandOutcome.Refused, Refusal: RefusalKind.Invalid, Reason: $"There is no fund '{fundId}'."));
        }

        // The workflow cannot see the budget, so a proposed line is checked against the fund's lines here.
        if (command is RecommendApproval { BudgetLineId: { } proposed } && (await ledger.FindAsync(proposed, cancellationToken))?.FundId != fundId)
        {
            return new Precheck(snapshot, null, new CommandResult(bidId, CommandOutcome.Refused, Refusal: RefusalKind.Invalid, Reason: $"There is no budget line '{proposed}' in this fund."));
        }

        // Nor the outcome framework: an outcome may name only one of the partnership's measures.
        if (MeasuresNamed(command).ToList() is { Count: > 0 } named
            && named.Except((await measures.ListAsync(cancellationToken)).Select(m => m.Id), StringComparer.Ordinal).FirstOrDefault() is { } unknown)
        {
            return new Precheck(snapshot, null, new CommandResult(bidId, CommandOutcome.Refused, Refusal: RefusalKind.Invalid, Reason: $"There is no partnership outcome measure '{unknown}'."));
        }

        var rules = new BidRules(fund.Deadlines, fund.Monitoring);
        if (snapshot?.State is { Stage: BidStage.Screening or BidStage.HceRecommendation or BidStage.BoardApproval, DefinitionVersion: >= BidWorkflowDefinition.BodiesVersion } deciding)
        {
            rules = rules with { Governance = await GovernanceAsync(fund, deciding.OrganisationId, calendar.LocalDate(now), cancellationToken) };
        }

        var decision = BidDecision.Decide(snapshot?.State, command, rules, calendar, now);
        return new Precheck(snapshot, rules, BidDecision.Answer(bidId, snapshot?.State, decision));
    }

    /// <summary>
    /// The fund's bodies and the members whose register names the applicant today: the register as it stands now, so an
    /// interest registered after a motion was put still keeps the member out of it.
    /// </summary>
    private async Task<FundGovernance> GovernanceAsync(Fund fund, string organisationId, DateOnly today, CancellationToken cancellationToken)
    {
        var directory = await users.ListAsync(cancellationToken);
        var bodies = Bodies.Kinds.ToImmutableDictionary(k => k, k => Bodies.Of(fund, k, directory));
        return new FundGovernance(bodies, (await interests.InAsync(organisationId, today, cancellationToken)).ToImmutableDictionary(StringComparer.Ordinal));
    }

    private static IEnumerable<string> MeasuresNamed(BidCommand command)
    {
        var outcomes = command switch
        {
            StartBid start => start.Proposal.Case?.Outcomes ?? [],
            EditDraft edit => edit.Proposal.Case?.Outcomes ?? [],
            ChangeDraft { Change: AddCaseEntry { Entry: ProjectOutcome outcome } } => [outcome],
            ChangeDraft { Change: SetCaseSection set } => set.Written?.Outcomes ?? [],
            _ => [],
        };
        return outcomes.Select(o => o.ContributesTo).OfType<string>().Distinct(StringComparer.Ordinal);
    }
}

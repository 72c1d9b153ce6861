using Partnership.Functions.Funds;
using Partnership.Functions.Identity;
using Partnership.Functions.Organisations;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Governance;

/// <summary>An item on a body's agenda: a bid whose motion waits for the body, and who of its members has an interest in the applicant.</summary>
public sealed record AgendaItem(BidSummary Bid, Motion Motion, string Organisation, IReadOnlyDictionary<string, string> Interests);

/// <summary>A meeting of one fund's HCE or Board: its members, and the motions before it, drawn from the bids waiting for it.</summary>
public sealed record Agenda(Fund Fund, DecisionBody Body, IReadOnlyList<AppUser> Members, IReadOnlyList<AgendaItem> Items);

/// <summary>What a meeting of a body has before it: every motion open or sent to the meeting, oldest first, with the interests that keep members out of each.</summary>
public sealed class MeetingAgenda(BidIndexProjection index, BidRepository repository, OrganisationStore organisations, InterestStore interests, FundStore funds, UserDirectory users, TimeProvider clock, WorkingCalendar calendar)
{
    public async Task<Agenda?> ForAsync(string fundId, BodyKind kind, CancellationToken cancellationToken)
    {
        if (await funds.FindAsync(fundId, cancellationToken) is not { } fund)
        {
            return null;
        }

        var directory = await users.ListAsync(cancellationToken);
        var body = Bodies.Of(fund, kind, directory);
        var today = calendar.LocalDate(clock.GetUtcNow());
        var registers = await interests.ListAsync(cancellationToken);
        var stage = DecidingStages.StageOf(kind);
        var items = new List<AgendaItem>();
        foreach (var bid in await index.ListAsync(fundId, null, stage, cancellationToken))
        {
            if ((await repository.LoadAsync(bid.BidId, cancellationToken))?.State.PendingMotion is { } motion && motion.Body == kind)
            {
                var registered = InterestStore.In(registers.Where(r => body.HasMember(r.UserId)), bid.OrganisationId, today);
                foreach (var (member, nature) in motion.Interests)
                {
                    registered.TryAdd(member, nature);
                }

                items.Add(new AgendaItem(bid, motion, (await organisations.FindAsync(bid.OrganisationId, cancellationToken))?.Name ?? bid.OrganisationId, registered));
            }
        }

        return new Agenda(fund, body, [.. body.Members.Select(m => directory.FirstOrDefault(u => u.Id == m)).OfType<AppUser>()], [.. items.OrderBy(i => i.Motion.OpenedAt)]);
    }
}

/// <summary>One item of a meeting's decisions record: the motion as decided, the outcome, its minute, who attended and who took no part, and why.</summary>
public sealed record MinutedItem(string Bid, string Applicant, string Motion, MeetingOutcome Outcome, Funding? Amount, string Minute, IReadOnlyList<string> Attended, IReadOnlyList<string> TookNoPart);

/// <summary>A meeting's decisions record, from what each bid recorded of it: every item decided at a meeting of the body on that day.</summary>
public sealed class MeetingRecords(BidIndexProjection index, BidRepository repository, OrganisationStore organisations, UserDirectory users)
{
    public async Task<IReadOnlyList<MinutedItem>> ForAsync(string fundId, BodyKind kind, DateOnly held, CancellationToken cancellationToken)
    {
        var names = (await users.ListAsync(cancellationToken)).ToDictionary(u => u.Id, u => u.DisplayName, StringComparer.Ordinal);
        string Name(string id) => names.GetValueOrDefault(id, id);
        var prefix = $"{kind}-".ToLowerInvariant();
        var items = new List<MinutedItem>();
        foreach (var bid in await index.ListAsync(fundId, null, null, cancellationToken))
        {
            var history = (await repository.HistoryAsync(bid.BidId, cancellationToken)).Select(h => h.Event).ToList();
            foreach (var decided in history.OfType<MeetingDecided>().Where(m => m.Held == held && m.MotionId.StartsWith(prefix, StringComparison.Ordinal)))
            {
                // The interests registered when the motion was put, and those declared since; anyone else counted out had registered one in between.
                var atPut = history.OfType<MotionPut>().LastOrDefault(p => p.MotionId == decided.MotionId)?.Interests ?? System.Collections.Immutable.ImmutableDictionary<string, string>.Empty;
                var declarations = history.OfType<InterestDeclared>().Where(d => d.MotionId == decided.MotionId).ToList();
                var declared = declarations.Select(d => $"{Name(d.By)}: declared, {d.Nature}");
                var registered = atPut.Select(i => $"{Name(i.Key)}: registered, {i.Value}");
                var countedOut = decided.CountedOut.Where(c => !atPut.ContainsKey(c) && declarations.All(d => d.By != c)).Select(c => $"{Name(c)}: registered an interest");
                items.Add(new MinutedItem(
                    bid.Title, (await organisations.FindAsync(bid.OrganisationId, cancellationToken))?.Name ?? bid.OrganisationId, decided.Terms.Describe(), decided.Outcome, decided.Terms.Amount, decided.Minute,
                    [.. decided.Attended.Select(Name).Order(StringComparer.Ordinal)], [.. registered.Concat(declared).Concat(countedOut)]));
            }
        }

        return [.. items.OrderBy(i => i.Minute, StringComparer.Ordinal)];
    }
}

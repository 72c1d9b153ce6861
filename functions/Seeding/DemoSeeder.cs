using System.Collections.Immutable;
using System.Globalization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Partnership.Functions.Budgets;
using System.Text.Json;
using Partnership.Functions.Documents;
using Partnership.Functions.Engine;
using Partnership.Functions.Funds;
using Partnership.Functions.Governance;
using Partnership.Functions.Identity;
using Partnership.Functions.Notifications;
using Partnership.Functions.Organisations;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Budgets;
using Partnership.Workflows.Decisions;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Seeding;

/// <summary>
/// Loads the demo partnership from the board papers: the December 2011 budget lines and set-aside, and the seven
/// Partnership Fund projects of the October 2011 report, each driven through the real workflow to the stage the
/// report gives. The papers' dates are moved forward by whole years so the report date falls within the past
/// year: day and month stay as in the papers, and the demo's timers are live rather than years overdue.
/// Every command carries a fixed idempotency key, so seeding again changes nothing.
/// </summary>
public sealed partial class DemoSeeder(
    FundStore funds,
    OrganisationStore organisations,
    UserDirectory users,
    PreferenceStore preferences,
    DocumentStore documents,
    BidRepository repository,
    DurableTaskClient engine,
    BidPrecheck prechecks,
    IOptions<EngineOptions> engineOptions,
    AnswerSignals signals,
    BidCommandService commands,
    BudgetLedger ledger,
    OutcomeSeeder outcomes,
    InterestStore interests,
    TimeProvider clock,
    ILogger<BidCommandService> logger)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var data = Load();
        var years = YearsToShift(data.ReportDate, clock.GetUtcNow());
        foreach (var fund in data.Funds)
        {
            if (await funds.FindAsync(fund.Id, cancellationToken) is null)
            {
                await funds.SaveAsync(new Fund(fund.Id, fund.Name, fund.Description, FundDeadlines.Defaults), cancellationToken);
            }
        }

        foreach (var line in data.BudgetLines)
        {
            await ledger.AddLineAsync(new BudgetLine(line.Id, line.FundId, line.Name, line.FinancialYear, new Funding(line.Revenue, line.Capital),
                [.. line.SetAsides.Select(s => new SetAside(s.Purpose, new Funding(s.Revenue, s.Capital)))], ImmutableDictionary<string, Funding>.Empty), cancellationToken);
        }

        foreach (var user in data.Users)
        {
            // Seeding again never undoes what people have done since: an applicant who registered an organisation keeps it.
            await users.AddIfAbsentAsync(new AppUser(user.Id, user.DisplayName, user.Email, user.Role, null, user.IsChair), cancellationToken);
            if (user.Channels is { } channels)
            {
                await preferences.SaveIfAbsentAsync(user.Id, NotificationPreferences.Default with { Channels = channels }, cancellationToken);
            }
        }

        await outcomes.SeedAsync(years, cancellationToken);
        await SeedGovernanceAsync(data, years, cancellationToken);

        foreach (var organisation in data.Organisations)
        {
            await organisations.AddAsync(new Organisation(organisation.Id, organisation.Name, null, $"{organisation.Applicant}@example.org", null), cancellationToken);
            await users.SaveAsync(new AppUser(organisation.Applicant, $"{organisation.Name} (applicant)", $"{organisation.Applicant}@example.org", Role.Applicant, organisation.Id), cancellationToken);
        }

        Actor ApplicantOf(string organisationId)
        {
            var organisation = data.Organisations.Single(o => o.Id == organisationId);
            return new Actor(organisation.Applicant, Role.Applicant, organisation.Id);
        }

        // Each bid has its own clock and commands, and the budget lines take contended approvals, so the bids are told
        // their histories side by side: the engine's partitions work on several at once.
        var seededBids = await Task.WhenAll([
            .. data.Bids.Select(bid => SeedBidAsync(data.Funds[0].Id, bid, ApplicantOf(bid.OrganisationId), years, cancellationToken)),
            .. data.FirstRound.Select(project => SeedFirstRoundAsync(data.Funds[0].Id, project, ApplicantOf(project.OrganisationId), years, cancellationToken)),
            .. data.DecemberProposals.Select(async proposal =>
            {
                var seeded = NewBid(proposal.Key, proposal.Title, ApplicantOf(proposal.OrganisationId), years, cancellationToken);
                var requested = new Funding(proposal.RequestedRevenue ?? proposal.Revenue, proposal.Capital);
                await seeded.RecommendAsync(data.Funds[0].Id, DemoCases.WithCase(new BidProposal(proposal.Title, proposal.Summary, requested, seeded.Day("2012-04-01"), seeded.Day("2013-03-31")), proposal.OrganisationId, proposal.BusinessCase, years),
                    new Funding(proposal.Revenue, proposal.Capital), proposal.BudgetLineId, ["2011-10-03", "2011-10-04", "2011-10-10", "2011-10-17", "2011-11-15"]);
                return seeded.BidId;
            }),
        ]);

        // Each bid was told its history at the papers' dates, with its deadlines kept to that clock; now it catches
        // up with today, firing whatever fell due since, and its deadlines run on the real clock from here on.
        await Task.WhenAll(seededBids.Select(bidId => commands.FireDueTimersAsync(bidId, cancellationToken)));
    }

    /// <summary>The Board that meets on 7 December, and the member whose interest keeps them out of the Top Families item; a register someone has changed since is left as it is.</summary>
    private async Task SeedGovernanceAsync(DemoData data, int years, CancellationToken cancellationToken)
    {
        foreach (var board in data.Boards)
        {
            if (await funds.FindAsync(board.FundId, cancellationToken) is { } fund && !fund.Bodies.ContainsKey(BodyKind.Board))
            {
                var body = new DecisionBody(BodyKind.Board, board.Members, board.Chair, board.ViceChair, BodyRules.Defaults);
                await funds.SaveAsync(fund with { Bodies = fund.Bodies.SetItem(BodyKind.Board, body) }, cancellationToken);
            }
        }

        foreach (var interest in data.Interests)
        {
            var register = new InterestRegister(interest.UserId, [new Interest(interest.OrganisationId, interest.OrganisationName, interest.Nature, interest.From.AddYears(years))], interest.ReviewedOn.AddYears(years));
            await interests.SaveAsync(register, version: null, cancellationToken);
        }
    }

    internal static int YearsToShift(DateOnly reportDate, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var years = today.Year - reportDate.Year;
        return reportDate.AddYears(years) > today ? years - 1 : years;
    }

    private async Task<string> SeedBidAsync(string fundId, DemoBid bid, Actor applicant, int years, CancellationToken cancellationToken)
    {
        var seeded = NewBid(bid.Key, bid.Title, applicant, years, cancellationToken);
        var proposal = DemoCases.WithCase(new BidProposal(bid.Title, $"{bid.Title}: a Partnership Fund project. Award: {bid.AmountNote}.", new Funding(bid.Revenue, bid.Capital), seeded.Day("2011-08-01"), seeded.Day("2013-03-31")), bid.OrganisationId, bid.BusinessCase, years);
        await seeded.ApproveAsync(fundId, proposal, "2011-12-laa-reward-grant", ["2011-05-03", "2011-05-10", "2011-05-16", "2011-06-01", "2011-06-20", "2011-07-12", "2011-08-15"]);
        if (bid.Stage == BidStage.Contracting)
        {
            return seeded.BidId;
        }

        await seeded.SignAsync(bid.SignedContractReceived ?? "2011-09-26");
        if (bid.Stage != BidStage.PurchaseOrder)
        {
            await seeded.PurchaseOrderAsync("2011-09-30", bid.OrganisationId);
        }

        return seeded.BidId;
    }

    /// <summary>
    /// A first-round project of Appendix 1: approved in July 2010 from the 2010/11 line, with its spend before April 2011
    /// as the 2010/11 Q4 return and the report's first-quarter figures and forecasts as the 2011/12 Q1 return.
    /// </summary>
    private async Task<string> SeedFirstRoundAsync(string fundId, DemoProject project, Actor applicant, int years, CancellationToken cancellationToken)
    {
        var seeded = NewBid(project.Key, project.Title, applicant, years, cancellationToken);
        var award = project.Capital ? new Funding(0m, project.Awarded) : new Funding(project.Awarded, 0m);
        Funding Amount(decimal value) => project.Capital ? new Funding(0m, value) : new Funding(value, 0m);
        var proposal = DemoCases.WithCase(new BidProposal(project.Title, $"{project.Title}: a first-round LAA Reward Grant project.", award, seeded.Day("2011-01-01"), seeded.Day("2012-03-31")), project.OrganisationId, null, years);
        await seeded.ApproveAsync(fundId, proposal, "2010-11-laa-reward-grant", ["2010-05-03", "2010-05-04", "2010-05-10", "2010-06-01", "2010-06-21", "2010-07-13", "2010-08-02"]);
        await seeded.SignAsync("2010-09-01");
        await seeded.PurchaseOrderAsync("2010-09-15", project.OrganisationId);
        if (project.SpendToDate is not { } spent)
        {
            return seeded.BidId;
        }

        var coordinator = new Actor("coordinator", Role.Coordinator);
        var opening = new ReturnReport(Amount(spent - (project.Q1Actual ?? 0m)), [], Funding.Zero, "Spend before April 2011.", [], [], []);
        await seeded.StepAsync("2011-04-15", "return-2010q4", new SubmitReturn(applicant, seeded.Quarter(2010, 4), opening));
        await seeded.StepAsync("2011-04-20", "accept-2010q4", new AcceptReturn(coordinator, seeded.Quarter(2010, 4)));
        if (project.Q1Actual is not { } q1)
        {
            return seeded.BidId;
        }

        var forecasts = new[] { (2, project.Forecasts.Q2), (3, project.Forecasts.Q3), (4, project.Forecasts.Q4) }
            .Where(f => f.Item2 is not null)
            .Select(f => new QuarterForecast(seeded.Quarter(2011, f.Item1), Amount(f.Item2!.Value)))
            .ToImmutableList();
        var first = new ReturnReport(Amount(q1), forecasts, Amount(project.IdentifiedUnderspend ?? 0m), "Quarter 1 monitoring report.", [], [], []);
        await seeded.StepAsync("2011-07-15", "return-2011q1", new SubmitReturn(applicant, seeded.Quarter(2011, 1), first));
        await seeded.StepAsync("2011-07-22", "accept-2011q1", new AcceptReturn(coordinator, seeded.Quarter(2011, 1)));
        return seeded.BidId;
    }

    private SeededBid NewBid(string key, string title, Actor applicant, int years, CancellationToken cancellationToken)
    {
        var clock = new SettableClock();
        return new SeededBid(key, title, applicant, years, clock, new BidCommandService(repository, prechecks, engine, engineOptions, new EngineClock(clock), signals, clock, logger), documents, cancellationToken);
    }

    private static DemoData Load()
    {
        using var stream = Infrastructure.EmbeddedData.Open("demo-data.json");
        return JsonSerializer.Deserialize<DemoData>(stream, Infrastructure.WorkflowJson.Options) ?? throw new InvalidOperationException("The demo data is empty.");
    }

    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>One demo bid driven through the real workflow at the papers' dates, moved by <c>years</c>, with fixed idempotency keys.</summary>
    private sealed class SeededBid(string key, string title, Actor applicant, int years, SettableClock clock, BidCommandService commands, DocumentStore documents, CancellationToken cancellationToken)
    {
        private readonly Actor _coordinator = new("coordinator", Role.Coordinator);

        public string BidId { get; } = BidCommandService.NewBidId(applicant.UserId, $"seed:{key}");

        public DateOnly Day(string date) => DateOnly.Parse(date, CultureInfo.InvariantCulture).AddYears(years);

        private DateTimeOffset At(string date) => new(Day(date).ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);

        public string Quarter(int year, int number) => new FinancialQuarter(year + years, number).Key;

        public async Task<CommandResult> StepAsync(string date, string name, BidCommand command)
        {
            clock.Now = At(date);
            var result = await commands.SettledAsync(BidId, command.Actor, $"seed:{key}:{name}", command is StartBid start
                ? await commands.StartAsync(start, $"seed:{key}:{name}", cancellationToken)
                : await commands.ExecuteAsync(BidId, command, $"seed:{key}:{name}", cancellationToken), cancellationToken);
            if (result.Outcome == CommandOutcome.KeyReused)
            {
                throw new InvalidOperationException(
                    $"The stored demo data was seeded by an earlier version of the app ({title}: {name} differs). Stop the app, delete the .azurite folder and run again to reseed.");
            }

            if (result.Outcome != CommandOutcome.Accepted)
            {
                throw new InvalidOperationException($"Seeding {title}: {name} was {result.Outcome}: {result.Reason}");
            }

            return result;
        }

        /// <summary>Draft, business case, submission, referral and HCE's recommendation of <paramref name="recommended"/>: one date each.</summary>
        public async Task RecommendAsync(string fundId, BidProposal proposal, Funding recommended, string lineId, string[] dates)
        {
            await StepAsync(dates[0], "start", new StartBid(applicant, BidId, fundId, applicant.OrganisationId!, proposal));
            await AttachAsync(dates[1], DocumentKind.BusinessCase, "business-case.pdf", $"Business case: {title}");
            await StepAsync(dates[2], "submit", new Submit(applicant));
            await StepAsync(dates[3], "refer", new ReferToHce(_coordinator));
            // HCE's two members: one proposes, the other agrees. A motion's id is its body and the bid version that put it.
            var proposed = await StepAsync(dates[4], "recommend", new RecommendApproval(new Actor("hce-chief-executive", Role.HceMember), recommended, null, lineId));
            await StepAsync(dates[4], "hce-agrees", new CastVote(new Actor("hce-nhs", Role.HceMember), $"hce-{proposed.Version}", VoteChoice.Agrees));
        }

        /// <summary>As far as HCE's recommendation, then Board approval from the line and the contract sent.</summary>
        public async Task ApproveAsync(string fundId, BidProposal proposal, string lineId, string[] dates)
        {
            await RecommendAsync(fundId, proposal, proposal.Requested, lineId, dates);
            // The Board agreed these at its meetings, the whole Board attending; a member with an interest is counted out.
            await StepAsync(dates[5], "board-meeting", new RecordMeetingDecision(_coordinator, Day(dates[5]), Load().Boards[0].Members, MeetingOutcome.Agreed, $"PB {Day(dates[5]):d MMM yyyy}/{key.Length}"));
            await StepAsync(dates[6], "send-contract", new SendContract(_coordinator));
        }

        public async Task SignAsync(string date)
        {
            var contract = await AttachAsync(date, DocumentKind.SignedContract, "signed-contract.pdf", $"Signed contract: {title}");
            await StepAsync(date, "return-contract", new ReturnSignedContract(_coordinator, contract));
            await StepAsync(date, "accept-contract", new AcceptSignedContract(_coordinator));
        }

        public Task<CommandResult> PurchaseOrderAsync(string date, string supplier) =>
            StepAsync(date, "purchase-order", new RecordPurchaseOrder(new Actor("finance", Role.FinanceOfficer), $"PO{Day(date):yyyy}-{key.Length:D2}{title.Length:D3}", Day(date), supplier.ToUpperInvariant()));

        private async Task<string> AttachAsync(string date, DocumentKind kind, string fileName, string text)
        {
            var documentId = $"doc-{key}-{kind.ToString().ToLowerInvariant()}";
            var blob = await documents.WriteGeneratedAsync(DocumentStore.BlobNameFor(BidId, documentId, 1, fileName), SimplePdf.WithText(text), FileTypes.Pdf.ContentType, cancellationToken);
            var who = kind == DocumentKind.SignedContract ? _coordinator : applicant;
            await StepAsync(date, $"attach-{kind}", new AttachDocument(who, new DocumentVersion(documentId, 1, kind, fileName, FileTypes.Pdf.ContentType, blob.Size, blob.Sha256, blob.BlobName, who.UserId, At(date))));
            return documentId;
        }
    }
}

internal sealed record DemoData(DateOnly ReportDate, List<DemoFund> Funds, List<DemoLine> BudgetLines, List<DemoUser> Users, List<DemoBoard> Boards, List<DemoInterest> Interests, List<DemoOrganisation> Organisations, List<DemoBid> Bids, List<DemoProject> FirstRound, List<DemoProposal> DecemberProposals);

/// <summary>A fund's Partnership Board as the demo names it, on the partnership's usual standing orders.</summary>
internal sealed record DemoBoard(string FundId, ImmutableArray<string> Members, string Chair, string ViceChair);

internal sealed record DemoInterest(string UserId, string OrganisationId, string OrganisationName, string Nature, DateOnly From, DateOnly ReviewedOn);

/// <summary>A proposal HCE recommended to the Board; <see cref="RequestedRevenue"/> where the bid asked for more than HCE recommends.</summary>
internal sealed record DemoProposal(string Key, string Title, string OrganisationId, decimal Revenue, decimal Capital, decimal? RequestedRevenue, string Summary, string BudgetLineId, BusinessCase? BusinessCase = null);

internal sealed record DemoForecasts(decimal? Q2, decimal? Q3, decimal? Q4);

internal sealed record DemoProject(string Key, string Title, string OrganisationId, bool Capital, decimal Awarded, decimal? Q1Actual, DemoForecasts Forecasts, decimal? SpendToDate, decimal? IdentifiedUnderspend);

internal sealed record DemoFund(string Id, string Name, string Description);

internal sealed record DemoLine(string Id, string FundId, string Name, string FinancialYear, decimal Revenue, decimal Capital, List<DemoSetAside> SetAsides);

internal sealed record DemoSetAside(string Purpose, decimal Revenue, decimal Capital);

internal sealed record DemoUser(string Id, string DisplayName, string Email, Role Role, bool IsChair, Channels? Channels = null);

internal sealed record DemoOrganisation(string Id, string Name, string Applicant);

internal sealed record DemoBid(string Key, string Title, string OrganisationId, decimal Revenue, decimal Capital, string AmountNote, BidStage Stage, string? SignedContractReceived, string Status, BusinessCase? BusinessCase = null);

/// <summary>
/// Runs the demo seed when the app starts with Seed:Demo set (the run command sets it), in the background, so the
/// app answers at once; /health says Degraded until the data is in place. A seed that fails stops the app, with why.
/// </summary>
internal sealed partial class DemoSeedRunner(DemoSeeder seeder, ILogger<DemoSeedRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await seeder.SeedAsync(stoppingToken);
        LogSeeded(logger);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data from the board papers is in place")]
    private static partial void LogSeeded(ILogger logger);
}

internal sealed class DemoDataHealthCheck(DemoSeedRunner runner) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(runner.ExecuteTask switch
        {
            { IsCompletedSuccessfully: true } => HealthCheckResult.Healthy("The demo data is in place."),
            { IsFaulted: true } seeding => HealthCheckResult.Unhealthy("The demo data could not be seeded.", seeding.Exception),
            _ => HealthCheckResult.Degraded("The demo data is being seeded."),
        });
}

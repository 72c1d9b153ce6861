using System.Collections.Immutable;
using System.Globalization;
using Partnership.Functions.Budgets;
using System.Reflection;
using System.Text.Json;
using Partnership.Functions.Documents;
using Partnership.Functions.Funds;
using Partnership.Functions.Identity;
using Partnership.Functions.Organisations;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Budgets;

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
    DocumentStore documents,
    BidRepository repository,
    IEffectPublisher queue,
    BidIndexProjection projection,
    BudgetLedger ledger,
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
            await users.SaveAsync(new AppUser(user.Id, user.DisplayName, user.Email, user.Role, null, user.IsChair), cancellationToken);
        }

        foreach (var organisation in data.Organisations)
        {
            await organisations.AddAsync(new Organisation(organisation.Id, organisation.Name, null, $"{organisation.Applicant}@example.org", null), cancellationToken);
            await users.SaveAsync(new AppUser(organisation.Applicant, $"{organisation.Name} (applicant)", $"{organisation.Applicant}@example.org", Role.Applicant, organisation.Id), cancellationToken);
        }

        foreach (var bid in data.Bids)
        {
            var organisation = data.Organisations.Single(o => o.Id == bid.OrganisationId);
            await SeedBidAsync(data.Funds[0].Id, bid, new Actor(organisation.Applicant, Role.Applicant, organisation.Id), years, cancellationToken);
        }
    }

    internal static int YearsToShift(DateOnly reportDate, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var years = today.Year - reportDate.Year;
        return reportDate.AddYears(years) > today ? years - 1 : years;
    }

    private async Task SeedBidAsync(string fundId, DemoBid bid, Actor applicant, int years, CancellationToken cancellationToken)
    {
        var seedClock = new SettableClock();
        var commands = new BidCommandService(repository, funds, queue, projection, ledger, seedClock, logger);
        var coordinator = new Actor("coordinator", Role.Coordinator);
        DateTimeOffset On(string date) => new DateTimeOffset(DateOnly.Parse(date, CultureInfo.InvariantCulture).AddYears(years).ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
        DateOnly Day(string date) => DateOnly.Parse(date, CultureInfo.InvariantCulture).AddYears(years);

        var bidId = BidCommandService.NewBidId(applicant.UserId, $"seed:{bid.Key}");
        async Task Step(string date, string name, BidCommand command)
        {
            seedClock.Now = On(date);
            var result = await commands.ExecuteAsync(bidId, command, $"seed:{bid.Key}:{name}", cancellationToken);
            if (result.Outcome != CommandOutcome.Accepted)
            {
                throw new InvalidOperationException($"Seeding {bid.Title}: {name} was {result.Outcome}: {result.Reason}");
            }
        }

        async Task<string> Attach(string date, DocumentKind kind, string fileName, string text)
        {
            var documentId = $"doc-{bid.Key}-{kind.ToString().ToLowerInvariant()}";
            var content = SimplePdf.WithText(text);
            var blob = await documents.WriteGeneratedAsync(DocumentStore.BlobNameFor(bidId, documentId, 1, fileName), content, FileTypes.Pdf.ContentType, cancellationToken);
            var who = kind == DocumentKind.SignedContract ? coordinator : applicant;
            await Step(date, $"attach-{kind}", new AttachDocument(who, new DocumentVersion(documentId, 1, kind, fileName, FileTypes.Pdf.ContentType, blob.Size, blob.Sha256, blob.BlobName, who.UserId, On(date))));
            return documentId;
        }

        seedClock.Now = On("2011-05-03");
        var proposal = new BidProposal(bid.Title, $"{bid.Title}: a Partnership Fund project. Award: {bid.AmountNote}.", new Funding(bid.Revenue, bid.Capital), Day("2011-08-01"), Day("2013-03-31"));
        var started = await commands.StartAsync(new StartBid(applicant, bidId, fundId, applicant.OrganisationId!, proposal), $"seed:{bid.Key}:start", cancellationToken);
        if (started.Outcome != CommandOutcome.Accepted)
        {
            throw new InvalidOperationException($"Seeding {bid.Title}: start was {started.Outcome}: {started.Reason}");
        }

        await Attach("2011-05-10", DocumentKind.BusinessCase, "business-case.pdf", $"Business case: {bid.Title}");
        await Step("2011-05-16", "submit", new Submit(applicant));
        await Step("2011-06-01", "refer", new ReferToHce(coordinator));
        await Step("2011-06-20", "recommend", new RecommendApproval(new Actor("hce-chief-executive", Role.HceMember), new Funding(bid.Revenue, bid.Capital), null));
        await Step("2011-07-12", "approve", new ApproveRecommendation(new Actor("board-chair", Role.BoardMember), "2011-12-laa-reward-grant", null));
        await Step("2011-08-15", "send-contract", new SendContract(coordinator));
        if (bid.Stage == BidStage.Contracting)
        {
            return;
        }

        var signed = bid.SignedContractReceived ?? "2011-09-26";
        var contract = await Attach(signed, DocumentKind.SignedContract, "signed-contract.pdf", $"Signed contract: {bid.Title}");
        await Step(signed, "return-contract", new ReturnSignedContract(coordinator, contract));
        await Step(signed, "accept-contract", new AcceptSignedContract(coordinator));
        if (bid.Stage == BidStage.PurchaseOrder)
        {
            return;
        }

        await Step("2011-09-30", "purchase-order", new RecordPurchaseOrder(new Actor("finance", Role.FinanceOfficer), $"PO{Day("2011-09-30"):yyyy}-{bid.Key.Length:D2}{bid.Title.Length:D3}", Day("2011-09-30"), bid.OrganisationId.ToUpperInvariant()));
    }

    private static DemoData Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Partnership.Functions.Data.demo-data.json")
            ?? throw new InvalidOperationException("The demo data is missing from the build.");
        return JsonSerializer.Deserialize<DemoData>(stream, Infrastructure.WorkflowJson.Options) ?? throw new InvalidOperationException("The demo data is empty.");
    }

    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

internal sealed record DemoData(DateOnly ReportDate, List<DemoFund> Funds, List<DemoLine> BudgetLines, List<DemoUser> Users, List<DemoOrganisation> Organisations, List<DemoBid> Bids);

internal sealed record DemoFund(string Id, string Name, string Description);

internal sealed record DemoLine(string Id, string FundId, string Name, string FinancialYear, decimal Revenue, decimal Capital, List<DemoSetAside> SetAsides);

internal sealed record DemoSetAside(string Purpose, decimal Revenue, decimal Capital);

internal sealed record DemoUser(string Id, string DisplayName, string Email, Role Role, bool IsChair);

internal sealed record DemoOrganisation(string Id, string Name, string Applicant);

internal sealed record DemoBid(string Key, string Title, string OrganisationId, decimal Revenue, decimal Capital, string AmountNote, BidStage Stage, string? SignedContractReceived, string Status);

/// <summary>Runs the demo seed when the app starts with Seed:Demo set (the run command sets it).</summary>
internal sealed partial class DemoSeedRunner(DemoSeeder seeder, ILogger<DemoSeedRunner> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await seeder.SeedAsync(cancellationToken);
        LogSeeded(logger);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data from the board papers is in place")]
    private static partial void LogSeeded(ILogger logger);
}

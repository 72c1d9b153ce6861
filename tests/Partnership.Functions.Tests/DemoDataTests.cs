using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Partnership.Functions.Funds;
using Partnership.Functions.Seeding;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Tests;

public class DemoDataTests(AzuriteFixture azurite)
{
    /// <summary>Appendix 4 of the October 2011 report: nineteen measures under four priorities, each with the leads it names.</summary>
    private static async Task TheOutcomeFrameworkIsAppendixFourAsync(AppFactory app)
    {
        var measures = await app.Get<Outcomes.OutcomeStore>().ListAsync(CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 19).Select(n => $"OM{n}"), measures.Select(m => m.Id));
        Assert.Equal(["Effective Joint Working", "Building Community Capacity", "Health", "Worklessness/Welfare"], measures.Select(m => m.Priority).Distinct());
        string Leads(string id) => string.Join(", ", measures.Single(m => m.Id == id).Leads.Select(l => l.Name));
        Assert.Equal(
            ["Tom Whiting", "Tom Whiting", "Dal Babu", "Andrew Trehern", "Tom Whiting", "", "Tom Whiting", "Rob Larkman", "Paul Najsarek", "Andrew Howe", "", "", "Andrew Trehern", "Andrew Trehern", "Paul McKeown",
                "Paul McKeown, Andrew Trehern, Jacqui Mace", "Andrew Trehern, Jacqui Mace, Harrow In Business", "Paul McKeown", "Julie Alderson"],
            measures.Select(m => Leads(m.Id)));
        var directory = await app.Get<Identity.UserDirectory>().ListAsync(CancellationToken.None);
        Assert.All(measures.SelectMany(m => m.Leads).Where(l => l.Name != "Harrow In Business"), l => Assert.Equal((l.Name, Role.OutcomeLead), directory.Where(u => u.Id == l.UserId).Select(u => (u.DisplayName, u.Role)).Single()));
        Assert.Null(measures.Single(m => m.Id == "OM17").Leads[2].UserId);

        var framework = app.Get<Outcomes.OutcomeFramework>();
        var om18 = (await framework.DetailAsync("OM18", CancellationToken.None))!;
        Assert.Equal(["Building Recovery in Communities by Engaging Substance Misusers", "Mental Health Employment Support Coordinator"], om18.Projects.Select(p => p.Title));
        Assert.Equal(["Top 50 Families"], (await framework.DetailAsync("OM1", CancellationToken.None))!.Projects.Select(p => p.Title));
        var overdue = (await framework.OverviewAsync(CancellationToken.None)).Where(m => m.Overdue is not null).Select(m => (m.Measure.Id, m.Overdue!.Quarter.Label));
        Assert.Equal([("OM14", "2026/27 Q2")], overdue);
        var page = await app.ClientFor("andrew-trehern").GetStringAsync("/outcomes");
        Assert.Contains("Measures you lead", page, StringComparison.Ordinal);
        Assert.Contains("2026/27 Q2 figure overdue", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor("andrew-trehern").GetAsync($"/api/bids/{om18.Projects[0].BidId}")).StatusCode);
    }

    [Fact]
    public async Task The_demo_partnership_matches_the_board_papers_and_seeding_again_changes_nothing()
    {
        await using var app = new AppFactory(azurite);
        _ = app.Services;
        await app.Get<Infrastructure.Storage>().EnsureCreatedAsync(CancellationToken.None);
        var seeder = app.Get<DemoSeeder>();
        await seeder.SeedAsync(CancellationToken.None);

        var lines = await app.Get<Budgets.BudgetLedger>().LinesAsync("partnership-fund", CancellationToken.None);
        var unallocated = lines.Aggregate(Funding.Zero, (sum, l) => sum + l.Unallocated);
        Assert.Equal(new Funding(73_903.20m, 94_139.00m), unallocated);
        Assert.Equal(60_000.00m, lines.Sum(l => l.SetAsideTotal.Capital));

        var table1 = await app.Get<Reports.ReportBuilder>().BudgetSummaryAsync("partnership-fund", CancellationToken.None);
        Assert.Equal(
            [("2009/10 Pump Priming", new Funding(22_968.00m, 0m)), ("2010/11 LAA Reward Grant", new Funding(50_935.20m, 0m)), ("2011/12 LAA Reward Grant", new Funding(0m, 94_139.00m))],
            table1.Lines.Select(l => (l.Line, l.Unallocated)));
        Assert.Equal(new Funding(73_903.20m, 94_139.00m), table1.TotalUnallocated);
        Assert.Equal(60_000m, Assert.Single(table1.SetAsides).Amount.Capital);

        var spend = (await app.Get<Reports.ReportBuilder>().SpendMonitoringAsync(null, 2026, CancellationToken.None)).ToDictionary(r => r.Project);
        var transformation = spend["Children's Services Transformation"];
        Assert.Equal((85_000.00m, 65_637.11m, 6_687.64m, 6_687.64m), (transformation.Awarded.Total, transformation.SpendToDate.Total, transformation.IdentifiedUnderspend!.Total, transformation.ProjectedUnderspend!.Total));
        Assert.Equal([(46_086.16m, true), (12_675.25m, false), (0.00m, false), (0.00m, false)], transformation.Quarters.Select(q => (q.Amount!.Total, q.IsActual)));
        var arts = spend["Arts Centre (Capital)"];
        Assert.Equal((25_000m, 15_328.72m, 2_843.00m), (arts.Awarded.Capital, arts.SpendToDate.Capital, arts.Quarters[0].Amount!.Capital));
        Assert.Equal((40_000m, 46_502.76m), (spend["Local Intelligence Database and JAG - Capital"].IdentifiedUnderspend!.Capital, spend["Local Intelligence Database and JAG - Capital"].SpendToDate.Capital));
        Assert.Null(spend["Children's Health"].Quarters[1].Amount);
        Assert.Equal(28 + 4, spend.Count);
        var csv = await app.ClientFor("auditor").GetStringAsync("/api/reports/spend-monitoring.csv?year=2026");
        Assert.Contains("Community Events,Harrow Council,10000.00,0.00,Actual,0.03,Forecast,0.00,Forecast,0.00,Forecast,10000.00,0.00,-0.03\r\n", csv, StringComparison.Ordinal);
        var overdueFirstQuarter = (await app.Get<Reports.ReportBuilder>().ReturnsAsync(null, CancellationToken.None)).Overdue.Where(r => r.Quarter == "2026/27 Q1").Select(r => r.Project).Order(StringComparer.Ordinal);
        Assert.Equal(["Reablement (NHS) - Revenue", "Reablement - Capital (NHS)", "The Souk"], overdueFirstQuarter);
        await TheAwardedGrantsArePublishedAs360GivingAsync(app);

        var bids = (await app.Get<BidIndexProjection>().ListAsync(null, null, null, CancellationToken.None)).Where(b => b.Grant?.BudgetLineId == "2011-12-laa-reward-grant").ToList();
        var stages = bids.ToDictionary(b => b.Title, b => b.Stage);
        Assert.Equal(new Dictionary<string, BidStage>
        {
            ["The Cedars Centre"] = BidStage.Monitoring,
            ["Harrow Into Work"] = BidStage.PurchaseOrder,
            ["Increasing Volunteering at Harrow CAB"] = BidStage.Monitoring,
            ["Mental Health Employment Support Coordinator"] = BidStage.Monitoring,
            ["Building Recovery in Communities by Engaging Substance Misusers"] = BidStage.Monitoring,
            ["Circles of Support"] = BidStage.Contracting,
            ["Top 50 Families"] = BidStage.Contracting,
        }, stages);
        Assert.Equal(85_000m, bids.Single(b => b.Title == "Top 50 Families").Approved!.Total);

        var cedars = bids.Single(b => b.Title == "The Cedars Centre").BidId;
        var history = await app.Get<BidRepository>().HistoryAsync(cedars, CancellationToken.None);
        var signed = history.Single(h => h.Event is SignedContractReturned).Event.At;
        Assert.Equal((26, 9), (signed.Day, signed.Month));
        Assert.True(signed < AppFactory.Start && signed > AppFactory.Start.AddYears(-1));

        var statuses = (await app.Get<Reports.ReportBuilder>().ContractStatusAsync(null, CancellationToken.None)).ToDictionary(r => r.Project, r => r.Status);
        Assert.StartsWith("Signed contract received on 26 September. Purchase order raised. 1st quarterly return due 1", statuses["The Cedars Centre"], StringComparison.Ordinal);
        Assert.Equal("Contract developed and sent. Awaiting signed copy of contract before payment can be made.", statuses["Top 50 Families"]);
        Assert.StartsWith("Signed contract received on 28 September. Awaiting purchase order.", statuses["Harrow Into Work"], StringComparison.Ordinal);

        var awaitingBoard = (await app.Get<BidIndexProjection>().ListAsync(null, null, BidStage.BoardApproval, CancellationToken.None)).ToDictionary(b => b.Title, b => b.Requested);
        Assert.Equal(4, awaitingBoard.Count);
        Assert.Equal(55_000m, awaitingBoard["Top Families Project: additional funding"].Revenue);
        await Support.Bids.DrainAsync(app);
        var waiting = (await app.Get<BidIndexProjection>().ListAsync(null, null, BidStage.BoardApproval, CancellationToken.None)).Select(b => b.BidId).ToHashSet();
        var chairsPrompts = (await app.Get<Notifications.MessageLog>().ListAsync(null, CancellationToken.None))
            .Where(m => m.To == "board-chair" && m.Template == "vote-prompt-board" && waiting.Contains(m.BidId)).GroupBy(m => m.Channel).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["email"] = 4, ["teams"] = 4 }, chairsPrompts);
        var families = (await app.Get<BidIndexProjection>().ListAsync(null, null, BidStage.BoardApproval, CancellationToken.None)).Single(b => b.Title.StartsWith("Top Families", StringComparison.Ordinal));
        var topFamilies = (await Support.Bids.StateAsync(app, families.BidId)).Proposal.Case!;
        Assert.Equal([15_000m, 17_500m, 12_000m, 10_500m], topFamilies.Costs.Select(c => c.Amount));
        Assert.Equal((new Funding(55_000m, 0m), 4, 5), (topFamilies.Totals, topFamilies.Phases.Count, topFamilies.Milestones.Count));
        var cab = (await Support.Bids.StateAsync(app, bids.Single(b => b.Title == "Increasing Volunteering at Harrow CAB").BidId)).Proposal.Case!;
        Assert.Equal(("July 2011", "1132", "2000"), (cab.Milestones[0].Timescale, cab.Outcomes[0].Baseline, cab.Outcomes[0].Target));
        var cedarsCase = (await Support.Bids.StateAsync(app, bids.Single(b => b.Title == "The Cedars Centre").BidId)).Proposal.Case!;
        Assert.Equal((6, "Partner organisations are more efficient"), (cedarsCase.Outcomes.Count, cedarsCase.Outcomes[1].Description));
        var intoWork = (await Support.Bids.StateAsync(app, bids.Single(b => b.Title == "Harrow Into Work").BidId)).Proposal.Case!;
        Assert.Equal(("70", "200", "300"), (intoWork.Outcomes[0].Baseline, intoWork.Outcomes[0].Target, intoWork.Outcomes[1].Target));
        var top50 = (await Support.Bids.StateAsync(app, bids.Single(b => b.Title == "Top 50 Families").BidId)).Proposal.Case!;
        Assert.Equal((6, "January 2012"), (top50.Milestones.Count, top50.Milestones[1].Timescale));
        foreach (var bid in bids)
        {
            Assert.Empty(BusinessCaseRules.Missing((await Support.Bids.StateAsync(app, bid.BidId)).Proposal.Case!));
        }

        await TheBoardSeesTheShortfallBeforeItDecidesAsync(app);
        await TheBoardPapersHoldThePapersFiguresAsync(app);
        await TheOutcomeFrameworkIsAppendixFourAsync(app);
        await TheDecemberBoardIsNamedWithOneMemberOutOfTopFamiliesAsync(app);
        // The council's leader takes no part in Top Families; three of the four Board members who may take part agree it.
        var motion = await Support.Bids.MotionAsync(app, families.BidId);
        var leader = await app.ClientFor("board-council-leader").CommandAsync($"/api/bids/{families.BidId}/votes", new { motionId = motion, vote = "Agrees" });
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, leader.StatusCode);
        Assert.Contains("Leader of Harrow Council, which leads the Top Families project", await leader.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var member in new[] { "board-chair", "board-member", "board-police" })
        {
            var vote = await app.ClientFor(member).CommandAsync($"/api/bids/{families.BidId}/votes", new { motionId = motion, vote = "Agrees" });
            Assert.Equal(System.Net.HttpStatusCode.OK, vote.StatusCode);
        }

        Assert.Equal(BidStage.Contracting, (await Support.Bids.StateAsync(app, families.BidId)).Stage);
        Assert.Equal(new Funding(31.93m, 0m), (await app.Get<Budgets.BudgetLedger>().FindAsync("2010-11-laa-reward-grant", CancellationToken.None))!.Unallocated);

        var versions = new Dictionary<string, int>();
        foreach (var bid in bids)
        {
            versions[bid.BidId] = (await Support.Bids.StateAsync(app, bid.BidId)).Version;
        }

        await seeder.SeedAsync(CancellationToken.None);
        foreach (var bid in bids)
        {
            Assert.Equal(versions[bid.BidId], (await Support.Bids.StateAsync(app, bid.BidId)).Version);
        }
    }

    /// <summary>The Board that meets on 7 December: five members, quorate on three, and the council's leader with a registered interest in Harrow Council, the Top Families applicant.</summary>
    private static async Task TheDecemberBoardIsNamedWithOneMemberOutOfTopFamiliesAsync(AppFactory app)
    {
        var fund = (await app.Get<Funds.FundStore>().FindAsync("partnership-fund", CancellationToken.None))!;
        var board = fund.Bodies[Workflows.Decisions.BodyKind.Board];
        Assert.Equal((5, "board-chair", "board-member"), (board.Members.Length, board.Chair, board.ViceChair));
        Assert.Null(Governance.Bodies.MembershipProblem(board, await app.Get<Identity.UserDirectory>().ListAsync(CancellationToken.None)));
        var december = new DateOnly(2026, 12, 7);
        var interested = await app.Get<Governance.InterestStore>().InAsync("harrow-council", december, CancellationToken.None);
        Assert.Equal(["board-council-leader"], interested.Keys);
        var quorum = Workflows.Decisions.QuorumCheck.Of(board, board.Members, interested.Keys.ToHashSet());
        Assert.Equal((3, 4, true), (quorum.Required, quorum.Counted.Length, quorum.IsQuorate));
        Assert.Contains("Leader of Harrow Council, which leads the Top Families project", await app.ClientFor("auditor").GetStringAsync("/audit/interests"), StringComparison.Ordinal);
    }

    /// <summary>
    /// The two papers made for the December meeting, read back with the Open XML SDK: Table 1 and its set-aside, the
    /// four recommendations and the shortfall they would leave; Appendix 1's figures, the returns not received, the
    /// contract status lines; each valid Word, in the template's styles, kept with the figures it was made from.
    /// </summary>
    private static async Task TheBoardPapersHoldThePapersFiguresAsync(AppFactory app)
    {
        var coordinator = app.ClientFor("coordinator");
        async Task<(WordPaper Paper, JsonElement Figures)> MakeAsync(string kind)
        {
            var made = await coordinator.PostAsJsonAsync("/api/papers", new { kind, meetingDate = "2026-12-07" });
            Assert.Equal(HttpStatusCode.Created, made.StatusCode);
            var download = await coordinator.GetAsync(made.Headers.Location);
            Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", download.Content.Headers.ContentType?.MediaType);
            var paper = new WordPaper(await download.Content.ReadAsByteArrayAsync());
            Assert.True(paper.Errors.Count == 0, string.Join("\n", paper.Errors));
            Assert.All(paper.StylesUsed, style => Assert.Contains(style, paper.StylesDefined));
            Assert.Equal("Partnership Board", paper.Paragraphs[0]);
            var id = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            var figures = await app.ClientFor("auditor").GetFromJsonAsync<JsonElement>($"/api/papers/{id}/figures.json");
            return (paper, figures);
        }

        var (budget, budgetFigures) = await MakeAsync("Budget");
        Assert.Equal("Partnership Budget, 7 December 2026", budget.Title);
        Assert.Equal(
            [["Budget line", "Unallocated revenue", "Unallocated capital"], ["2009/10 Pump Priming", "£22,968.00", "£0.00"], ["2010/11 LAA Reward Grant", "£50,935.20", "£0.00"], ["2011/12 LAA Reward Grant", "£0.00", "£94,139.00"], ["TOTAL", "£73,903.20", "£94,139.00"]],
            budget.Table("Budget line"));
        Assert.Contains(budget.Paragraphs, p => p.StartsWith("£60,000.00 capital of 2011/12 LAA Reward Grant is set aside for Community premises proposal", StringComparison.Ordinal));
        Assert.Equal(["£15,000.00", "£50,903.27", "£8,000.00", "£94,139.00 capital"], budget.Table("Amount").Skip(1).Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.Equal(["TOTAL", "-£0.07", "£0.00"], budget.Row("Budget line", "TOTAL", skip: 1));
        Assert.Equal(["2009/10 Pump Priming", "-£32.00", "£0.00"], budget.Row("Budget line", "2009/10 Pump Priming", skip: 1));
        Assert.Contains("2009/10 Pump Priming would be £32.00 short of revenue.", budget.Paragraphs);
        Assert.Contains("Heading1", budget.StylesUsed);
        Assert.Equal(73_903.20m, budgetFigures.GetProperty("table1").GetProperty("totalUnallocated").GetProperty("revenue").GetDecimal());

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var (progress, progressFigures) = await MakeAsync("Progress");
        Assert.Equal(
            ["Children's Services Transformation", "£85,000.00", "£46,086.16", "£12,675.25 forecast", "£0.00 forecast", "£0.00 forecast", "£65,637.11", "£6,687.64"],
            progress.Row("Project", "Children's Services Transformation"));
        Assert.Equal("Under One Sky (completed)", progress.Table("Project").Single(r => r[0].StartsWith("Under One Sky", StringComparison.Ordinal))[0]);
        var appendix4 = progress.Table("Priority");
        Assert.Equal(["Priority", "Outcome measure", "Baseline", "2026/27", "2027/28", "2028/29", "Partners", "Lead"], appendix4[0]);
        Assert.Equal(20, appendix4.Count);
        Assert.Equal(
            ["Worklessness/Welfare", "OM14 Reduced number of empty commercial premises", "212 (2025/26)", "Target 200; figure 214; Amber", "Target 185", "Target 170", "", "Andrew Trehern"],
            appendix4.Single(r => r[1].StartsWith("OM14 ", StringComparison.Ordinal)));
        Assert.Equal(["Health", "OM11 Health and Wellbeing Board in place", "", "", "", "", "", ""], appendix4.Single(r => r[1].StartsWith("OM11 ", StringComparison.Ordinal)));
        Assert.Contains("Quarter 1 2026/27 monitoring reports have not been received for Reablement (NHS) - Revenue, Reablement - Capital (NHS) and The Souk.", progress.Paragraphs);
        Assert.Equal("Contract developed and sent. Awaiting signed copy of contract before payment can be made.", progress.Row("Project", "Top 50 Families", skip: 1)[2]);
        Assert.Contains(progress.Paragraphs, p => p == "Increasing Volunteering at Harrow CAB (Harrow CAB)");
        Assert.Contains(progress.Tables, t => t[0][0] == "Timescale" && t.Any(r => r[0] == "July 2011" && r[2] == "Not yet reported"));
        Assert.Equal(32, progressFigures.GetProperty("spend").GetArrayLength());

        var listed = await coordinator.GetFromJsonAsync<JsonElement>("/api/papers");
        Assert.Equal(["Progress", "Budget"], listed.EnumerateArray().Select(p => p.GetProperty("kind").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor("auditor").PostAsJsonAsync("/api/papers", new { kind = "Budget", meetingDate = "2026-12-07" })).StatusCode);
        var bad = await coordinator.PostAsJsonAsync("/api/papers", new { kind = "Budget" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("MeetingDate", out _));
        Assert.Equal(2, (await coordinator.GetFromJsonAsync<JsonElement>("/api/papers")).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync("/api/papers/no-such-paper.docx")).StatusCode);
    }

    /// <summary>
    /// The paper's four recommendations come to 7p more revenue than Table 1 holds; with the lines HCE proposed, pump
    /// priming would be £32.00 short. The coordinator's budget page and the Board's decision list both say so, and
    /// the Board's form starts at the line HCE proposed.
    /// </summary>
    private static async Task TheBoardSeesTheShortfallBeforeItDecidesAsync(AppFactory app)
    {
        var agenda = await app.Get<Reports.ReportBuilder>().BoardAgendaAsync("partnership-fund", CancellationToken.None);
        Assert.Equal(
            [("Local Information System upkeep 2012/13", 8_000m, "2009/10 Pump Priming"), ("Partnership priorities (capital)", 94_139m, "2011/12 LAA Reward Grant"), ("Supporting the partnership (summits)", 15_000m, "2009/10 Pump Priming"), ("Top Families Project: additional funding", 50_903.27m, "2010/11 LAA Reward Grant")],
            agenda.Items.Select(i => (i.Title, i.Amount.Total, i.LineName)).OrderBy(i => i.Title, StringComparer.Ordinal));
        Assert.Equal(new Funding(-0.07m, 0m), agenda.Outlook.TotalAfter);
        Assert.Equal([new Funding(-32.00m, 0m), new Funding(31.93m, 0m), Funding.Zero], agenda.Outlook.Lines.Select(l => l.After));

        string[] shortfalls = ["2009/10 Pump Priming would be £32.00 short of revenue.", "In all, the budget would be £0.07 short of revenue."];
        foreach (var (user, path) in new[] { ("coordinator", "/coordinator/budget"), ("board-chair", "/decisions") })
        {
            var page = System.Net.WebUtility.HtmlDecode(await app.ClientFor(user).GetStringAsync(path));
            Assert.All(shortfalls, s => Assert.Contains(s, page, StringComparison.Ordinal));
            Assert.Contains("Table 1 as it would stand", page, StringComparison.Ordinal);
        }

        var decisions = await app.ClientFor("board-chair").GetStringAsync("/decisions");
        var link = System.Text.RegularExpressions.Regex.Matches(decisions, "href=\"(/decisions/[^\"]+)\"[^>]*>Decide on Top Families").Single().Groups[1].Value;
        var form = System.Net.WebUtility.HtmlDecode(await app.ClientFor("board-chair").GetStringAsync(link));
        Assert.Contains("The Partnership Board is asked to: Agree £50,903.27 from 2010-11-laa-reward-grant.", form, StringComparison.Ordinal);
        Assert.Contains("Do you have any interest in Harrow Council?", form, StringComparison.Ordinal);
        Assert.DoesNotContain("Decide on Top Families", await app.ClientFor("board-council-leader").GetStringAsync("/decisions"), StringComparison.Ordinal);
    }

    /// <summary>
    /// The demo's awarded grants as a 360Giving package that the standard's schema (the files kept in the build, read
    /// here afresh) accepts, and as its flat CSV: every awarded grant and only those, with nothing about a person.
    /// </summary>
    private static async Task TheAwardedGrantsArePublishedAs360GivingAsync(AppFactory app)
    {
        var coordinator = app.ClientFor("coordinator");
        var published = await coordinator.GetAsync("/api/open-data/360giving.json");
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var text = await published.Content.ReadAsStringAsync();
        using var package = JsonDocument.Parse(text);

        var schemas = Path.Combine(AzuriteFixture.RepositoryRoot(), "functions", "Data");
        var build = new Json.Schema.BuildOptions { SchemaRegistry = new Json.Schema.SchemaRegistry { Fetch = (uri, _) => Json.Schema.SchemaRegistry.Global.Get(uri) } };
        var grantSchema = Json.Schema.JsonSchema.FromText(OpenData.ThreeSixtyGiving.SchemaText(File.ReadAllText(Path.Combine(schemas, "360-giving-schema.json"))), build);
        build.SchemaRegistry.Register(new Uri("https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"), grantSchema);
        var packageSchema = Json.Schema.JsonSchema.FromText(OpenData.ThreeSixtyGiving.SchemaText(File.ReadAllText(Path.Combine(schemas, "360-giving-package-schema.json"))), build);
        Assert.True(packageSchema.Evaluate(package.RootElement, new Json.Schema.EvaluationOptions { RequireFormatValidation = true }).IsValid);

        var grants = package.RootElement.GetProperty("grants").EnumerateArray().ToDictionary(g => g.GetProperty("title").GetString()!);
        var all = await app.Get<BidIndexProjection>().ListAsync(null, null, null, CancellationToken.None);
        var awarded = all.Where(b => b.Approved is not null && b.Stage is not BidStage.Withdrawn and not BidStage.Rejected).Select(b => b.Title).Order(StringComparer.Ordinal);
        Assert.Equal(awarded, grants.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(all.Where(b => b.Stage == BidStage.BoardApproval).Select(b => b.Title), grants.ContainsKey);
        Assert.Contains(all, b => b.Stage == BidStage.BoardApproval);

        var transformation = grants["Children's Services Transformation"];
        Assert.StartsWith("360G-partnershipfunds-demo-", transformation.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal((85_000.00m, "GBP", "2010-11-laa-reward-grant"), (transformation.GetProperty("amountAwarded").GetDecimal(), transformation.GetProperty("currency").GetString(), transformation.GetProperty("grantProgramme")[0].GetProperty("code").GetString()));
        Assert.Equal(("GB-LAE-HRW", "Harrow Strategic Partnership"), (transformation.GetProperty("fundingOrganization")[0].GetProperty("id").GetString(), transformation.GetProperty("fundingOrganization")[0].GetProperty("name").GetString()));
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", transformation.GetProperty("awardDate").GetString());
        Assert.DoesNotContain("@", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(applicant)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("contactName", text, StringComparison.Ordinal);

        var flat = await coordinator.GetStringAsync("/api/open-data/360giving.csv");
        Assert.StartsWith("Identifier,Title,Description,Currency,Amount Awarded,Award Date,Planned Dates:Start Date,Planned Dates:End Date,Recipient Org:Identifier,Recipient Org:Name", flat, StringComparison.Ordinal);
        Assert.Equal(grants.Count + 1, flat.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor("applicant-kca").GetAsync("/api/open-data/360giving.json")).StatusCode);
    }

    [Theory]
    [InlineData("2026-11-23", 15)]
    [InlineData("2026-10-11", 15)]
    [InlineData("2026-10-10", 14)]
    public void The_papers_dates_move_by_whole_years_to_fall_in_the_past_year(string today, int years) =>
        Assert.Equal(years, DemoSeeder.YearsToShift(new DateOnly(2011, 10, 11), DateTimeOffset.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task Health_and_the_openapi_document_are_open_to_all()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var client = app.ClientFor(null);
        var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/bids/{bidId}/hce-recommendation", out _));
        Assert.True(paths.TryGetProperty("/api/bids/{bidId}/documents", out _));
    }
}

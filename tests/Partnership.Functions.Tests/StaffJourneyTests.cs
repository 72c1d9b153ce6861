using Microsoft.Playwright;
using Partnership.Functions.Pages.Components;
using Partnership.Functions.Seeding;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

/// <summary>
/// A bid from screening to its first quarterly return, every step taken in the browser by the person whose job it is,
/// each signed in from the home page, on the demo partnership: the coordinator asks for changes against a section,
/// the applicant answers them, HCE recommends a different amount with conditions, the Board approves from a budget
/// line, the contract goes out and comes back signed, finance raises the purchase order, the applicant sends a return
/// and the coordinator's dashboard shows it beside an overdue return from the papers. Both tests run on one seeded
/// demo partnership: seeding it is most of their time, and neither depends on what the other adds.
/// </summary>
public class StaffJourneyTests(StaffJourneyTests.DemoPartnership demo) : IClassFixture<StaffJourneyTests.DemoPartnership>
{
    private const string Coordinator = "Partnership coordinator";
    private const string Applicant = "Kids Can Achieve (applicant)";

    [Fact]
    public async Task A_bid_goes_from_screening_to_its_first_return_with_each_person_doing_their_part_in_pages()
    {
        var app = demo.App;
        var bidId = await StartAsync(app.ClientFor("applicant-kca"), "Holiday activities");
        await app.ClientFor("applicant-kca").CommandAsync($"/api/bids/{bidId}/submit").Ok();
        await using var chromium = await Chromium.LaunchAsync();
        var site = BrowserApp.Address(app);

        var coordinator = await SignedInAsync(chromium, site, Coordinator);
        await coordinator.NavigateToAsync("What needs you today");
        await coordinator.AssertAccessibleAsync();
        await coordinator.Locator("#yours + table").GetByRole(AriaRole.Link, new() { Name = "Holiday activities" }).ClickAsync();
        await coordinator.AssertAccessibleAsync();
        await coordinator.GetByLabel("What needs to change").FillAsync("Please split the delivery costs by year.");
        await coordinator.GetByLabel("Funding required").FillAsync("Show 2026/27 and 2027/28 apart.");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Send back for changes" }).ClickAsync();
        Assert.Contains("asked for changes", await coordinator.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(BidStage.ChangesRequested, (await StateAsync(app, bidId)).Stage);

        var applicant = await SignedInAsync(chromium, site, Applicant);
        await applicant.NavigateToAsync("Your bids");
        await applicant.GetByRole(AriaRole.Link, new() { Name = "Holiday activities" }).ClickAsync();
        Assert.Contains("Please split the delivery costs by year.", await applicant.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("The coordinator has asked for changes here", await applicant.Locator("#funding-status").Locator("..").InnerTextAsync(), StringComparison.Ordinal);
        await applicant.AssertAccessibleAsync();
        await applicant.GetByRole(AriaRole.Link, new() { Name = "Funding required" }).ClickAsync();
        Assert.Contains("Show 2026/27 and 2027/28 apart.", await applicant.Locator(".govuk-inset-text").InnerTextAsync(), StringComparison.Ordinal);
        await applicant.AssertAccessibleAsync();
        await applicant.GetByRole(AriaRole.Button, new() { Name = "Remove Project delivery" }).ClickAsync();
        foreach (var (year, amount) in new[] { ("2026/27", "20000"), ("2027/28", "35000") })
        {
            await applicant.GetByLabel("Item").FillAsync($"Project delivery {year}");
            await applicant.GetByLabel("Revenue", new() { Exact = true }).CheckAsync();
            await applicant.GetByLabel("Financial year").FillAsync(year);
            await applicant.GetByLabel("Amount", new() { Exact = true }).First.FillAsync(amount);
            await applicant.GetByRole(AriaRole.Button, new() { Name = "Add the cost line" }).ClickAsync();
        }

        Assert.Contains("£55,000.00", await applicant.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await applicant.GetByRole(AriaRole.Link, new() { Name = "Return to your bid" }).ClickAsync();
        await applicant.GetByRole(AriaRole.Link, new() { Name = "Check your answers and resubmit" }).ClickAsync();
        await applicant.GetByLabel("I confirm that").CheckAsync();
        await applicant.GetByRole(AriaRole.Button, new() { Name = "Resubmit the bid" }).ClickAsync();
        Assert.Contains("Your changes have been sent back", await applicant.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await StateAsync(app, bidId)).Proposal.Case!.Costs.Count);

        await coordinator.ReloadAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Refer to HCE for a recommendation" }).ClickAsync();
        Assert.Contains("gone to HCE", await coordinator.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);

        var hce = await SignedInAsync(chromium, site, "HCE member (council chief executive)");
        await hce.NavigateToAsync("Decisions");
        await hce.AssertAccessibleAsync();
        await hce.GetByRole(AriaRole.Link, new() { Name = "Decide on Holiday activities" }).ClickAsync();
        await hce.GetByLabel("Recommend approval").CheckAsync();
        await hce.GetByLabel("Revenue", new() { Exact = true }).FillAsync("40000");
        await hce.GetByLabel("Budget line").SelectOptionAsync(AppFactory.Line);
        await hce.GetByLabel("Conditions").FillAsync("Quarterly reports to HCE");
        await hce.GetByRole(AriaRole.Button, new() { Name = "Record my decision" }).ClickAsync();
        Assert.Equal("Proposal put to HCE", await hce.Locator("h1").InnerTextAsync());

        var nhs = await SignedInAsync(chromium, site, "HCE member (NHS Harrow)");
        await nhs.NavigateToAsync("Decisions");
        await nhs.GetByRole(AriaRole.Link, new() { Name = "Decide on Holiday activities" }).ClickAsync();
        await nhs.GetByLabel("No, I have no interest in it").CheckAsync();
        await nhs.GetByLabel("Agree", new() { Exact = true }).CheckAsync();
        await nhs.GetByRole(AriaRole.Button, new() { Name = "Record my vote" }).ClickAsync();
        Assert.Equal("Vote recorded", await nhs.Locator("h1").InnerTextAsync());

        var board = await SignedInAsync(chromium, site, "Partnership Board chair");
        await board.NavigateToAsync("Decisions");
        await board.GetByRole(AriaRole.Link, new() { Name = "Decide on Holiday activities" }).ClickAsync();
        Assert.Contains("HCE recommended approval of £40,000.00 revenue, on condition: Quarterly reports to HCE", await board.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("The Partnership Board is asked to: Agree £40,000.00 from 2010-11-laa-reward-grant", await board.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await board.AssertAccessibleAsync();
        await board.GetByLabel("No, I have no interest in it").CheckAsync();
        await board.GetByLabel("Agree", new() { Exact = true }).CheckAsync();
        await board.GetByRole(AriaRole.Button, new() { Name = "Record my vote" }).ClickAsync();
        Assert.Equal("Vote recorded", await board.Locator("h1").InnerTextAsync());
        await AgreeAsync(app, bidId, "board-member", "board-police");
        await DrainAsync(app);
        var approved = await StateAsync(app, bidId);
        Assert.Equal((BidStage.Contracting, new Funding(40_000m, 0m), AppFactory.Line), (approved.Stage, approved.ApprovedAmount, approved.BudgetLineId));

        await coordinator.ReloadAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Send the contract to the applicant" }).ClickAsync();
        Assert.Contains("contract has been sent", await coordinator.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);

        await applicant.ReloadAsync();
        await applicant.GetByRole(AriaRole.Link, new() { Name = "Upload the signed contract" }).ClickAsync();
        Assert.True(await applicant.GetByLabel("Signed contract").IsCheckedAsync());
        await applicant.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "signed.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await applicant.GetByRole(AriaRole.Button, new() { Name = "Upload the document" }).ClickAsync();
        Assert.Contains("signed contract has been sent", await applicant.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);

        await coordinator.ReloadAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Accept the signed contract" }).ClickAsync();
        Assert.Equal(BidStage.PurchaseOrder, (await StateAsync(app, bidId)).Stage);

        var finance = await SignedInAsync(chromium, site, "Finance officer");
        await finance.NavigateToAsync("Purchase orders and payments");
        await finance.AssertAccessibleAsync();
        await finance.GetByRole(AriaRole.Link, new() { Name = "Raise the purchase order for Holiday activities" }).ClickAsync();
        await finance.GetByLabel("Purchase order number").FillAsync("PO2026-0042");
        await ApplicantJourneyTests.FillDateAsync(finance, "raisedOn", 23, 11, 2026);
        await finance.GetByLabel("Supplier reference").FillAsync("KCA01");
        await finance.GetByRole(AriaRole.Button, new() { Name = "Record the purchase order" }).ClickAsync();
        Assert.Contains("purchase order is recorded", await finance.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        await DrainAsync(app);
        var monitored = await StateAsync(app, bidId);
        Assert.Equal(BidStage.Monitoring, monitored.Stage);

        // The grant's first quarter ends; its return can be sent.
        var first = monitored.Returns.OrderBy(r => r.Quarter, StringComparer.Ordinal).First();
        app.Clock.SetUtcNow(new DateTimeOffset(first.Period().End.AddDays(2).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        await applicant.ReloadAsync();
        await applicant.GetByRole(AriaRole.Link, new() { Name = $"Send the return for {first.Period().Label}" }).ClickAsync();
        await applicant.AssertAccessibleAsync();
        await applicant.GetByLabel($"Actual spend in {first.Period().Label}").FillAsync("9,500.00");
        await applicant.GetByLabel("How the project went this quarter").FillAsync("Forty children on the first holiday scheme.");
        await applicant.GetByRole(AriaRole.Group, new() { Name = "March 2027: Pilot group identified" }).GetByLabel("Green: on track").CheckAsync();
        await applicant.GetByRole(AriaRole.Button, new() { Name = "Send the return" }).ClickAsync();
        Assert.Contains("quarterly return has been sent", await applicant.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        await DrainAsync(app);
        Assert.Equal(9_500m, (await StateAsync(app, bidId)).Return(first.Quarter)!.Report!.ActualSpend.Revenue);

        await coordinator.GotoAsync(site + $"/bids/{bidId}");
        await coordinator.GetByRole(AriaRole.Link, new() { Name = "Propose a variation" }).ClickAsync();
        await coordinator.AssertAccessibleAsync();
        await coordinator.GetByLabel("Change the end date").CheckAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Propose the variation to HCE" }).ClickAsync();
        Assert.Contains("Give the reason for the variation.", await coordinator.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await coordinator.GetByLabel("Why", new() { Exact = true }).FillAsync("The scheme runs on through the next holidays.");
        await ApplicantJourneyTests.FillDateAsync(coordinator, "newEndDate", 31, 3, 2028);
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Propose the variation to HCE" }).ClickAsync();
        Assert.Contains("gone to HCE to agree or decline", await coordinator.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        await hce.GotoAsync(site + $"/bids/{bidId}");
        await hce.AssertAccessibleAsync();
        await hce.GetByRole(AriaRole.Button, new() { Name = "Agree the variation" }).ClickAsync();
        Assert.Contains("variation is agreed", await hce.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2028, 3, 31), (await StateAsync(app, bidId)).Proposal.GrantEnd);

        await coordinator.NavigateToAsync("What needs you today");
        Assert.Contains($"Holiday activities: the {first.Period().Label} return", await coordinator.Locator("#review + ul").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("The Souk", await coordinator.Locator("#overdue + table").InnerTextAsync(), StringComparison.Ordinal);
        await coordinator.AssertAccessibleAsync();
        await coordinator.NavigateToAsync("Budget lines");
        Assert.Contains("£10,935.20", await coordinator.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await coordinator.AssertAccessibleAsync();
        await coordinator.NavigateToAsync("Spend");
        Assert.Contains("Holiday activities", await coordinator.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await coordinator.AssertAccessibleAsync();
    }

    [Fact]
    public async Task The_coordinator_sorts_the_dashboard_and_the_reports_by_any_column_in_the_browser()
    {
        var app = demo.App;
        await using var chromium = await Chromium.LaunchAsync();
        var coordinator = await SignedInAsync(chromium, BrowserApp.Address(app), Coordinator);

        await coordinator.NavigateToAsync("Spend");
        var spend = coordinator.Locator("table");
        await spend.GetByRole(AriaRole.Button, new() { Name = "Spend to date" }).ClickAsync();
        var ascending = await SortValuesAsync(spend, await spend.Locator("thead th").CountAsync() - 2);
        Assert.True(ascending.Count > 3, "The demo data funds several projects.");
        Assert.Equal(ascending.Order(), ascending);
        Assert.NotEqual(ascending.Min(), ascending.Max());
        await spend.GetByRole(AriaRole.Button, new() { Name = "Spend to date" }).ClickAsync();
        Assert.Equal(ascending.OrderDescending(), await SortValuesAsync(spend, await spend.Locator("thead th").CountAsync() - 2));
        await coordinator.AssertAccessibleAsync();

        await coordinator.NavigateToAsync("All bids");
        var bids = coordinator.Locator("table");
        await bids.GetByRole(AriaRole.Button, new() { Name = "Stage" }).ClickAsync();
        var stages = await SortValuesAsync(bids, 2);
        Assert.Equal(stages.Order(), stages);
        Assert.NotEqual(stages.Min(), stages.Max());
        var first = await bids.Locator("tbody tr").First.Locator("td").Nth(1).InnerTextAsync();
        Assert.Equal(Display.Stage((BidStage)(int)stages[0]), first.Trim());

        await coordinator.NavigateToAsync("What needs you today");
        var overdue = coordinator.Locator("#overdue + table");
        await overdue.GetByRole(AriaRole.Button, new() { Name = "Days late" }).ClickAsync();
        var late = await SortValuesAsync(overdue, 4, fromText: true);
        Assert.Equal(late.Order(), late);
        await coordinator.AssertAccessibleAsync();
    }

    [Fact]
    public async Task The_coordinator_makes_both_board_papers_for_a_meeting_and_downloads_them_from_the_browser()
    {
        var app = demo.App;
        await using var chromium = await Chromium.LaunchAsync();
        var coordinator = await SignedInAsync(chromium, BrowserApp.Address(app), Coordinator);

        await coordinator.NavigateToAsync("Board papers");
        await coordinator.AssertAccessibleAsync();
        await coordinator.GetByLabel("Day").FillAsync("31");
        await coordinator.GetByLabel("Month").FillAsync("2");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Make the paper" }).ClickAsync();
        var problems = await coordinator.Locator(".govuk-error-summary").InnerTextAsync();
        Assert.Contains("Choose the paper to make.", problems, StringComparison.Ordinal);
        Assert.Contains("must be a real date", problems, StringComparison.Ordinal);
        await coordinator.AssertAccessibleAsync();

        var papers = new Dictionary<string, Support.WordPaper>();
        foreach (var (choice, title) in new[] { ("Progress report", "Progress report"), ("Partnership Budget", "Partnership Budget") })
        {
            await coordinator.GetByLabel(choice).CheckAsync();
            await coordinator.GetByLabel("Day").FillAsync("7");
            await coordinator.GetByLabel("Month").FillAsync("12");
            await coordinator.GetByLabel("Year").FillAsync("2026");
            await coordinator.GetByRole(AriaRole.Button, new() { Name = "Make the paper" }).ClickAsync();
            Assert.Contains($"The {title} paper for 7 December 2026 is made", await coordinator.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
            var download = await coordinator.RunAndWaitForDownloadAsync(() => coordinator.GetByRole(AriaRole.Link, new() { Name = $"{title}, 7 December 2026 (Word)" }).First.ClickAsync());
            await using var content = await download.CreateReadStreamAsync();
            using var bytes = new MemoryStream();
            await content.CopyToAsync(bytes);
            papers[title] = new Support.WordPaper(bytes.ToArray());
        }

        await coordinator.AssertAccessibleAsync();
        var progress = papers["Progress report"];
        Assert.Equal(["Children's Services Transformation", "£85,000.00", "£46,086.16", "£12,675.25 forecast", "£0.00 forecast", "£0.00 forecast", "£65,637.11", "£6,687.64"], progress.Row("Project", "Children's Services Transformation"));
        Assert.Contains(progress.Paragraphs, p => p.StartsWith("Quarter 1 2026/27 monitoring reports have not been received for", StringComparison.Ordinal) && p.Contains("The Souk", StringComparison.Ordinal));
        var budget = papers["Partnership Budget"];
        Assert.Equal("£94,139.00", budget.Row("Budget line", "TOTAL")[2]);
        Assert.Contains(budget.Paragraphs, p => p.StartsWith("£60,000.00 capital of 2011/12 LAA Reward Grant is set aside", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lead_gives_an_overdue_outcome_figure_and_a_coordinator_sets_a_measure_s_targets_in_the_browser()
    {
        var site = BrowserApp.Address(demo.App);
        await using var chromium = await Chromium.LaunchAsync();
        var lead = await SignedInAsync(chromium, site, "Andrew Trehern");

        await lead.NavigateToAsync("Outcome measures");
        await lead.AssertAccessibleAsync();
        var yours = lead.Locator("h2:has-text('Measures you lead') + ul");
        // The other journeys move the shared clock on, so a later quarter may be overdue by now too.
        Assert.Contains("figure overdue", await yours.InnerTextAsync(), StringComparison.Ordinal);
        await yours.GetByRole(AriaRole.Link, new() { Name = "OM14 Reduced number of empty commercial premises" }).ClickAsync();
        await lead.AssertAccessibleAsync();
        await lead.GetByRole(AriaRole.Link, new() { Name = "Give a quarter's figure" }).ClickAsync();
        await lead.AssertAccessibleAsync();
        Assert.Equal("2026q2", await lead.GetByLabel("Quarter").InputValueAsync());
        await lead.GetByRole(AriaRole.Button, new() { Name = "Give the figure" }).ClickAsync();
        Assert.Contains("Enter the quarter's figure, as a number.", await lead.Locator(".govuk-error-summary").InnerTextAsync(), StringComparison.Ordinal);
        await lead.AssertAccessibleAsync();
        await lead.GetByLabel("Figure").FillAsync("198");
        await lead.GetByLabel("Comment (optional)").FillAsync("Business rates void list at 30 September.");
        await lead.GetByRole(AriaRole.Button, new() { Name = "Give the figure" }).ClickAsync();
        Assert.Contains("The quarter's figure is recorded.", await lead.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        var year = lead.Locator("table").First.Locator("tr", new() { HasText = "2026/27" }).Last;
        Assert.Equal(["2026/27", "200", "198", "2", "Green"], (await year.Locator("th, td").AllInnerTextsAsync()).Select(t => t.Trim()));
        Assert.Contains("Business rates void list at 30 September.", await lead.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await lead.AssertAccessibleAsync();

        var coordinator = await SignedInAsync(chromium, site, Coordinator);
        await coordinator.GotoAsync(site + "/outcomes/OM8");
        await coordinator.GetByRole(AriaRole.Link, new() { Name = "Change the measure" }).ClickAsync();
        await coordinator.AssertAccessibleAsync();
        await coordinator.GetByLabel("Baseline figure").FillAsync("81.5");
        await coordinator.GetByLabel("2026/27 target").FillAsync("84");
        await coordinator.GetByLabel("Amber margin (%)").FillAsync("a lot");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Save the measure" }).ClickAsync();
        Assert.Contains("A figure is a number", await coordinator.Locator(".govuk-error-summary").InnerTextAsync(), StringComparison.Ordinal);
        await coordinator.AssertAccessibleAsync();
        await coordinator.GetByLabel("Amber margin (%)").FillAsync("2.5");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Save the measure" }).ClickAsync();
        Assert.Contains("The measure is changed.", await coordinator.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        var main = await coordinator.Locator("main").InnerTextAsync();
        Assert.Contains("81.5 (2025/26)", main, StringComparison.Ordinal);
        Assert.Contains("no more than 2.5% of the target", main, StringComparison.Ordinal);
        await coordinator.AssertAccessibleAsync();
    }

    /// <summary>A column's values top to bottom, read from what the table sorts by (1-based column).</summary>
    private static async Task<List<decimal>> SortValuesAsync(ILocator table, int column, bool fromText = false)
    {
        var cells = table.Locator($"tbody tr > :nth-child({column})");
        var values = fromText ? await cells.AllInnerTextsAsync() : await cells.EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.sortValue)");
        return [.. values.Select(v => decimal.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static async Task<IPage> SignedInAsync(Chromium chromium, string site, string person)
    {
        var page = await chromium.NewPageAsync();
        await page.SignInAsync(site, person);
        return page;
    }

    /// <summary>The demo partnership seeded from the board papers, served on a real port.</summary>
    public sealed class DemoPartnership(AzuriteFixture azurite) : IAsyncLifetime
    {
        public AppFactory App { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            App = BrowserApp.Served(azurite);
            await App.Get<Infrastructure.Storage>().EnsureCreatedAsync(CancellationToken.None);
            await App.Get<DemoSeeder>().SeedAsync(CancellationToken.None);
        }

        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }
}

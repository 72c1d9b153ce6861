using Microsoft.Playwright;
using Partnership.Functions.Identity;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

/// <summary>An applicant's journey in headless Chromium, from the home page: register, write a bid section by section, submit.</summary>
public class ApplicantJourneyTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(1280, 900, true)]
    [InlineData(390, 844, true)]
    [InlineData(1280, 900, false)]
    public async Task An_applicant_registers_writes_a_bid_section_by_section_fixes_what_is_wrong_and_submits_it(int width, int height, bool script)
    {
        await using var app = BrowserApp.Served(azurite);
        await app.SeedAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync(width, height, script);

        // axe runs in the page's own script, so it checks the journeys that have script; the other proves the pages need none.
        async Task CheckedAsync()
        {
            if (script)
            {
                await page.AssertAccessibleAsync();
            }
        }

        var site = BrowserApp.Address(app);

        await page.GotoAsync(site + "/");
        await CheckedAsync();
        await page.SignInAsync(site, "Unregistered applicant");
        await page.NavigateToAsync("Your bids");
        await CheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Register your organisation" }).ClickAsync();

        await page.GetByLabel("Organisation name").FillAsync("Harrow Youth Link");
        await page.GetByLabel("Charity number").FillAsync("12345");
        await page.GetByLabel("Contact name").FillAsync("Sam Patel");
        await page.GetByLabel("Contact email address").FillAsync("sam@youthlink.example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register organisation" }).ClickAsync();
        Assert.Contains(OrganisationIds.CharityRule, await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await CheckedAsync();
        await page.GetByLabel("Charity number").FillAsync("1129394");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register organisation" }).ClickAsync();
        Assert.Contains("GB-CHC-1129394", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("GB-CHC-1129394", (await app.Get<UserDirectory>().FindAsync("applicant-new", CancellationToken.None))!.OrganisationId);

        await page.NavigateToAsync("Your organisation");
        await page.GetByLabel("Their name").FillAsync("Priya Shah");
        await page.GetByLabel("Their email address").FillAsync("priya@youthlink");
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite them" }).ClickAsync();
        Assert.Contains("Enter an email address in the correct format", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Their email address").FillAsync("priya@youthlink.example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite them" }).ClickAsync();
        Assert.Contains("Priya Shah (priya@youthlink.example.org)", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await CheckedAsync();
        var invited = (await app.Get<UserDirectory>().ListAsync(CancellationToken.None)).Single(u => u.Email == "priya@youthlink.example.org");
        Assert.Equal(("GB-CHC-1129394", Role.Applicant), (invited.OrganisationId, invited.Role));
        Assert.Contains((await app.Get<Notifications.MessageLog>().ListAsync("", CancellationToken.None)), m => m.Template == "invitation" && m.Email == "priya@youthlink.example.org" && m.Body.Contains("Harrow Youth Link", StringComparison.Ordinal));

        await page.NavigateToAsync("Your bids");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start a bid" }).First.ClickAsync();
        await CheckedAsync();
        await page.GetByLabel("Project title").FillAsync("Youth Link mentoring");
        await page.GetByLabel("Summary").FillAsync("Mentoring for young people leaving care.");
        await FillDateAsync(page, "grantStart", 1, 4, 2027);
        await FillDateAsync(page, "grantEnd", 31, 3, 2028);
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the bid" }).ClickAsync();
        var bidUrl = page.Url;
        Assert.Equal("Youth Link mentoring", await page.Locator("h1").InnerTextAsync());
        await CheckedAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Strategic lead and project coordinator" }).ClickAsync();
        await CheckedAsync();
        foreach (var (who, name) in new[] { ("Strategic lead", "Asha Khan"), ("Project coordinator", "Sam Patel") })
        {
            await page.GetByLabel($"{who}: name").FillAsync(name);
            await page.GetByLabel($"{who}: role").FillAsync("Director");
            await page.GetByLabel($"{who}: email address").FillAsync($"{name.Split(' ')[0].ToLowerInvariant()}@youthlink.example.org");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Save and return to your bid" }).ClickAsync();
        Assert.Equal("Completed", await page.Locator("#contacts-status").InnerTextAsync());

        // Leaving and coming back finds the section saved.
        await page.NavigateToAsync("Your bids");
        await page.GetByRole(AriaRole.Link, new() { Name = "Youth Link mentoring" }).ClickAsync();
        Assert.Equal(bidUrl, page.Url);
        Assert.Equal("Completed", await page.Locator("#contacts-status").InnerTextAsync());
        Assert.Equal("Not yet started", await page.Locator("#need-status").InnerTextAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "The need and what the project will do" }).ClickAsync();
        await page.GetByLabel("The need the project meets").FillAsync("Care leavers in Harrow lack a trusted adult.");
        await page.GetByLabel("What the project will do").FillAsync("Match each care leaver with a trained volunteer mentor for a year.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and return to your bid" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Partnership priorities" }).ClickAsync();
        await page.GetByLabel("Building Community Capacity").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and return to your bid" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Funding required" }).ClickAsync();
        await page.GetByLabel("Item").FillAsync("Mentor training");
        await page.GetByLabel("Revenue", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Financial year").FillAsync("2027/28");
        await page.GetByLabel("Amount", new() { Exact = true }).First.FillAsync("12.345");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the cost line" }).ClickAsync();
        var problem = page.GetByRole(AriaRole.Alert);
        Assert.Contains("whole pence", await problem.InnerTextAsync(), StringComparison.Ordinal);
        await CheckedAsync();
        await problem.GetByRole(AriaRole.Link).First.ClickAsync();
        if (script)
        {
            Assert.Equal("amount", await page.EvaluateAsync<string>("document.activeElement.id"));
        }
        else
        {
            Assert.EndsWith("#amount", page.Url, StringComparison.Ordinal);
        }

        await page.GetByLabel("Amount", new() { Exact = true }).First.FillAsync("12,500.00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the cost line" }).ClickAsync();
        Assert.Contains("£12,500.00", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await CheckedAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Return to your bid" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Outcomes" }).ClickAsync();
        await page.GetByLabel("Outcome", new() { Exact = true }).FillAsync("Care leavers mentored");
        await page.GetByLabel("How it is measured").FillAsync("Mentoring pairs active");
        await page.GetByLabel("Baseline").FillAsync("0");
        await page.GetByLabel("Target").FillAsync("20");
        await FillDateAsync(page, "by", 31, 3, 2028);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the outcome" }).ClickAsync();
        await CheckedAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Return to your bid" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Milestones" }).ClickAsync();
        await page.GetByLabel("Timescale").FillAsync("June 2027");
        await page.GetByLabel("What will be achieved by then").FillAsync("Twenty mentors trained");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the milestone" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Return to your bid" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Risks" }).ClickAsync();
        await page.GetByLabel("Risk", new() { Exact = true }).FillAsync("Too few volunteers");
        await page.GetByRole(AriaRole.Group, new() { Name = "How likely is it?" }).GetByLabel("Medium").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "How great would its impact be?" }).GetByLabel("High").CheckAsync();
        await page.GetByLabel("How it will be managed").FillAsync("Recruit through the volunteer centre from the start");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the risk" }).ClickAsync();
        await CheckedAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Return to your bid" }).ClickAsync();
        Assert.Equal(7, await page.Locator(".govuk-task-list__status", new() { HasTextString = "Completed" }).CountAsync() - 1);

        await page.GetByRole(AriaRole.Link, new() { Name = "Supporting documents" }).ClickAsync();
        await page.GetByLabel("Constitution").CheckAsync();
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "constitution.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload the document" }).ClickAsync();
        Assert.Contains("constitution.pdf", await page.Locator("table").InnerTextAsync(), StringComparison.Ordinal);
        await CheckedAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the bid" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Check your answers and submit" }).ClickAsync();
        await CheckedAsync();
        Assert.Contains("£12,500.00", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit the bid" }).ClickAsync();
        Assert.Contains("Confirm that the bid is true and complete", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("I confirm that").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit the bid" }).ClickAsync();

        Assert.Contains("Your bid has been submitted", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        await CheckedAsync();
        var bidId = new Uri(bidUrl).AbsolutePath.Split('/')[^1];
        var state = await StateAsync(app, bidId);
        Assert.Equal((BidStage.Screening, "GB-CHC-1129394", new Funding(12_500m, 0m)), (state.Stage, state.OrganisationId, state.Proposal.Requested));
        Assert.Equal(["Building Community Capacity"], state.Proposal.Case!.Priorities);
        Assert.Equal(DocumentKind.Constitution, Assert.Single(state.Documents).Kind);
    }

    internal static async Task FillDateAsync(IPage page, string id, int day, int month, int year)
    {
        await page.Locator($"#{id}").FillAsync(day.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator($"#{id}-month").FillAsync(month.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator($"#{id}-year").FillAsync(year.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

using Microsoft.Playwright;
using Partnership.Functions.Decisions;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

/// <summary>
/// The Partnership Board of 7 December (the papers' 2011 moved on fifteen years) run from the demo data in the
/// browser: the four HCE recommendations of the budget paper on its agenda, all from Harrow Council, whose leader is a
/// member with a registered interest; one more member declares an interest in Top Families when asked to vote.
/// </summary>
public class DemoMeetingTests(StaffJourneyTests.DemoPartnership demo) : IClassFixture<StaffJourneyTests.DemoPartnership>
{
    [Fact]
    public async Task The_coordinator_runs_the_december_board_a_member_declares_an_interest_and_the_decisions_record_holds_it()
    {
        var app = demo.App;
        var site = BrowserApp.Address(app);
        var waiting = (await app.Get<BidIndexProjection>().ListAsync("partnership-fund", null, BidStage.BoardApproval, CancellationToken.None)).ToDictionary(b => b.Title, b => b.BidId);
        var families = waiting["Top Families Project: additional funding"];
        await using var chromium = await Chromium.LaunchAsync();

        var police = await chromium.NewPageAsync();
        await police.GotoAsync(site + "/decisions/" + app.Get<DecisionLinks>().Create(await StateAsync(app, families), "board-police"));
        await police.GetByLabel("Yes, I have an interest").CheckAsync();
        await police.GetByLabel("What is your interest?").FillAsync("My wife manages the council's family support team");
        await police.GetByRole(AriaRole.Button, new() { Name = "Record my vote" }).ClickAsync();
        Assert.Equal("Interest recorded", await police.Locator("h1").InnerTextAsync());
        await police.AssertAccessibleAsync();

        app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero));
        var coordinator = await chromium.NewPageAsync();
        await coordinator.SignInAsync(site, "Partnership coordinator");
        await coordinator.GotoAsync(site + "/coordinator/funds/partnership-fund");
        await coordinator.GetByRole(AriaRole.Link, new() { Name = "Record a meeting of the Partnership Board" }).ClickAsync();
        await coordinator.AssertAccessibleAsync();
        var agenda = await coordinator.Locator("main").InnerTextAsync();
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Count(agenda, "Leader of Harrow Council, which leads the Top Families project"));
        Assert.Contains("My wife manages the council's family support team", agenda, StringComparison.Ordinal);

        foreach (var attendee in await coordinator.Locator("input[name=attended]").AllAsync())
        {
            await attendee.CheckAsync();
        }

        var minute = 1;
        foreach (var title in new[] { "Supporting the partnership (summits)", "Top Families Project: additional funding", "Partnership priorities (capital)" })
        {
            await coordinator.Locator($"#outcome-{waiting[title]}-2").CheckAsync();
            await coordinator.Locator($"#minute-{waiting[title]}").FillAsync($"PB 7/12/26 item {minute++}");
        }

        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Record the meeting's decisions" }).ClickAsync();
        var recorded = await coordinator.GetByRole(AriaRole.Status).InnerTextAsync();
        Assert.Contains("Top Families Project: additional funding: recorded", recorded, StringComparison.Ordinal);
        Assert.Contains("Partnership priorities (capital): recorded", recorded, StringComparison.Ordinal);
        await coordinator.AssertAccessibleAsync();
        Assert.Equal((BidStage.Contracting, BidStage.BoardApproval), ((await StateAsync(app, families)).Stage, (await StateAsync(app, waiting["Local Information System upkeep 2012/13"])).Stage));

        var record = await app.ClientFor("coordinator").GetStringAsync("/api/reports/meetings/partnership-fund/board/2026-12-07.csv");
        var rows = record.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, rows.Length);
        var top = rows.Single(l => l.StartsWith("PB 7/12/26 item 2,", StringComparison.Ordinal));
        Assert.Contains("Top Families Project: additional funding", top, StringComparison.Ordinal);
        Assert.Contains("declared, My wife manages the council's family support team", top, StringComparison.Ordinal);
        Assert.Contains("registered, Leader of Harrow Council, which leads the Top Families project", top, StringComparison.Ordinal);

        var minutes = new WordPaper(await app.ClientFor("coordinator").GetByteArrayAsync("/api/reports/meetings/partnership-fund/board/2026-12-07.docx"));
        Assert.Empty(minutes.Errors);
        var item = minutes.Row("Minute", "PB 7/12/26 item 2");
        Assert.Equal(("Top Families Project: additional funding (Harrow Council)", "Agreed"), (item[1], item[3]));
        Assert.Contains("Partnership Board member (Borough Commander, Metropolitan Police): declared, My wife manages the council's family support team", item[4], StringComparison.Ordinal);
        Assert.Contains("Partnership Board member (Leader of Harrow Council): registered", item[4], StringComparison.Ordinal);
        Assert.Contains(minutes.Paragraphs, p => p.StartsWith("Partnership Board chair; Partnership Board member", StringComparison.Ordinal));
    }
}

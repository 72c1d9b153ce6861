using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

/// <summary>
/// A coordinator records a Board meeting: two motions before the test fund's Board of two, one from an organisation
/// the Board member "board" is a trustee of, so that item is inquorate with only the two members there.
/// </summary>
public class MeetingTests(AzuriteFixture azurite)
{
    private const string Page = $"/coordinator/funds/{AppFactory.Fund}/meetings/board";

    private static async Task<(string Families, string Other)> AgendaAsync(AppFactory app)
    {
        var families = await PlantedBids.AwaitingBoardAsync(app, new Funding(20_000m, 0m), "Top Families Project");
        var other = await PlantedBids.AwaitingBoardAsync(app, new Funding(8_000m, 0m), "Local Information System", organisation: "other-org");
        await app.ClientFor("board").PostAsJsonAsync("/api/members/me/interests", new { organisationId = AppFactory.Organisation, organisationName = "Kids Can Achieve", nature = "Trustee", from = "2026-01-01" });
        return (families, other);
    }

    private static (string, string)[] Meeting(params (string, string)[] outcomes) =>
        [("held-day", "23"), ("held-month", "11"), ("held-year", "2026"), ("attended", "board-chair"), ("attended", "board"), .. outcomes];

    [Fact]
    public async Task An_inquorate_item_stops_the_whole_record_and_a_quorate_one_takes_effect_on_its_bid()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var (families, other) = await AgendaAsync(app);
        var coordinator = app.ClientFor("coordinator");
        var agenda = System.Net.WebUtility.HtmlDecode(await coordinator.GetStringAsync(Page));
        Assert.Contains("Agree £20,000.00 from 2010-11-laa-reward-grant", agenda, StringComparison.Ordinal);
        Assert.Contains("Board member (Trustee)", agenda, StringComparison.Ordinal);

        var refused = await coordinator.SubmitAsync(Page, Meeting(($"outcome-{families}", "Agreed"), ($"minute-{families}", "PB 1"), ($"outcome-{other}", "Agreed"), ($"minute-{other}", "PB 2")));
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Top Families Project is inquorate: 1 members without an interest in it attended and 2 are needed", page, StringComparison.Ordinal);
        Assert.Equal(BidStage.BoardApproval, (await StateAsync(app, other)).Stage);

        var unclear = await coordinator.SubmitAsync(Page, Meeting(($"outcome-{other}", "Deferred"), ($"minute-{other}", "")));
        Assert.Equal(HttpStatusCode.BadRequest, unclear.StatusCode);
        var unclearPage = await unclear.Content.ReadAsStringAsync();
        Assert.Contains("Local Information System: give the minute reference", unclearPage, StringComparison.Ordinal);
        Assert.Contains("Local Information System: defer to a date after today.", unclearPage, StringComparison.Ordinal);

        var none = await coordinator.SubmitAsync(Page, Meeting());
        Assert.Contains("Record the outcome of at least one item.", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var versions = (Families: (await StateAsync(app, families)).Version, Other: (await StateAsync(app, other)).Version);
        Assert.Equal((1, 1), versions);
    }

    [Fact]
    public async Task The_meeting_agrees_the_item_it_is_quorate_for_with_its_minute_and_the_money_moves()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var (families, other) = await AgendaAsync(app);
        var coordinator = app.ClientFor("coordinator");
        var recorded = await coordinator.SubmitAsync(Page, Meeting(($"outcome-{other}", "AgreedWithChanges"), ($"amount-{other}", "£7,500"), ($"minute-{other}", "PB 23/11/26 item 2")));
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.Contains("Local Information System: recorded", await recorded.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var agreed = await StateAsync(app, other);
        Assert.Equal((BidStage.Contracting, new Funding(7_500m, 0m)), (agreed.Stage, agreed.ApprovedAmount));
        var minuted = (await app.Get<Workflow.BidRepository>().HistoryAsync(other, CancellationToken.None)).Select(h => h.Event).OfType<MeetingDecided>().Single();
        Assert.Equal(("PB 23/11/26 item 2", MeetingOutcome.AgreedWithChanges), (minuted.Minute, minuted.Outcome));
        Assert.Equal(["board", "board-chair"], minuted.Attended.Order());
        Assert.Equal(BidStage.BoardApproval, (await StateAsync(app, families)).Stage);

        var record = await coordinator.GetStringAsync($"/api/reports/meetings/{AppFactory.Fund}/board/2026-11-23.csv");
        Assert.Equal(
            ["Minute,Bid,Applicant,Motion,Outcome,Amount,Attended,Took no part", "PB 23/11/26 item 2,Local Information System,Another Organisation,\"Agree £7,500.00 from 2010-11-laa-reward-grant\",AgreedWithChanges,7500.00,Board chair; Board member,"],
            record.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal(HttpStatusCode.BadRequest, (await coordinator.GetAsync($"/api/reports/meetings/{AppFactory.Fund}/board/7-12-2011.csv")).StatusCode);
    }

    [Fact]
    public async Task A_coordinator_records_a_meeting_in_the_browser_after_being_told_an_item_is_inquorate()
    {
        await using var app = BrowserApp.Served(azurite);
        await app.SeedAsync();
        var (families, other) = await AgendaAsync(app);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        await page.SignInAsync(BrowserApp.Address(app), "Coordinator");
        await page.GotoAsync(BrowserApp.Address(app) + $"/coordinator/funds/{AppFactory.Fund}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Record a meeting of the Partnership Board" }).ClickAsync();
        await page.AssertAccessibleAsync();

        await page.GetByLabel("Board chair").CheckAsync();
        await page.GetByLabel("Board member", new() { Exact = true }).CheckAsync();
        await page.Locator($"#outcome-{families}-2").CheckAsync();
        await page.Locator($"#minute-{families}").FillAsync("PB 1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the meeting's decisions" }).ClickAsync();
        Assert.Contains("Top Families Project is inquorate", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await page.AssertAccessibleAsync();

        await page.Locator($"#outcome-{families}").CheckAsync();
        await page.Locator($"#outcome-{other}-2").CheckAsync();
        await page.Locator($"#minute-{other}").FillAsync("PB 2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record the meeting's decisions" }).ClickAsync();
        Assert.Contains("Local Information System: recorded", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        await page.AssertAccessibleAsync();
        Assert.Equal((BidStage.Contracting, BidStage.BoardApproval), ((await StateAsync(app, other)).Stage, (await StateAsync(app, families)).Stage));
    }
}

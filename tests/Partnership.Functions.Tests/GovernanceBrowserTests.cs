using Microsoft.Playwright;
using Partnership.Functions.Funds;
using Partnership.Functions.Governance;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Tests;

/// <summary>A member keeps their register of interests and a coordinator names a body, in headless Chromium with axe checks on each page.</summary>
public class GovernanceBrowserTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_board_member_is_prompted_to_review_their_register_adds_an_interest_after_being_told_what_is_missing_and_confirms_it()
    {
        await using var app = BrowserApp.Served(azurite);
        await app.SeedAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        await page.SignInAsync(BrowserApp.Address(app), "Board member");
        await page.NavigateToAsync("Decisions");
        await page.AssertAccessibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Check your register" }).ClickAsync();
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Add an interest" }).ClickAsync();
        await page.GetByLabel("Organisation", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Kids Can Achieve (kids-can-achieve)" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the interest" }).ClickAsync();
        Assert.Contains("Say what the interest is", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await page.AssertAccessibleAsync();
        Assert.Empty((await app.Get<InterestStore>().FindAsync("board", CancellationToken.None)).Register.Interests);

        await page.GetByLabel("What the interest is").FillAsync("Trustee");
        await page.GetByLabel("Day").First.FillAsync("1");
        await page.GetByLabel("Month").First.FillAsync("9");
        await page.GetByLabel("Year").First.FillAsync("2025");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add the interest" }).ClickAsync();
        Assert.Contains("The interest is added", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Trustee", await page.GetByRole(AriaRole.Table).InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "My register is complete and correct" }).ClickAsync();
        await page.AssertAccessibleAsync();

        var register = (await app.Get<InterestStore>().FindAsync("board", CancellationToken.None)).Register;
        Assert.Equal((new DateOnly(2026, 11, 23), "kids-can-achieve", new DateOnly(2025, 9, 1)), (register.ReviewedOn!.Value, register.Interests.Single().OrganisationId, register.Interests.Single().From));
    }

    [Fact]
    public async Task A_coordinator_names_hce_from_the_fund_settings_after_being_told_its_quorum_cannot_be_met()
    {
        await using var app = BrowserApp.Served(azurite);
        await app.SeedAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        await page.SignInAsync(BrowserApp.Address(app), "Coordinator");
        await page.NavigateToAsync("What needs you today");
        await page.GetByRole(AriaRole.Link, new() { Name = "Settings:" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "HCE: its members, chair and standing orders" }).ClickAsync();
        await page.AssertAccessibleAsync();

        await page.GetByLabel("Chair", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "HCE member" });
        await page.GetByLabel("And never fewer members than").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save HCE" }).ClickAsync();
        Assert.Contains("HCE has 2 members, fewer than its quorum of 3.", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await page.AssertAccessibleAsync();
        Assert.Empty((await app.Get<FundStore>().FindAsync(AppFactory.Fund, CancellationToken.None))!.Bodies);

        await page.GetByLabel("And never fewer members than").FillAsync("2");
        await page.GetByLabel("The chair may act alone up to").FillAsync("2,500");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save HCE" }).ClickAsync();
        Assert.Contains("HCE is saved", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);

        var fund = await new FundStore(app.Get<Infrastructure.Storage>(), app.Get<Workflows.WorkingCalendar>()).FindAsync(AppFactory.Fund, CancellationToken.None);
        var hce = fund!.Bodies[BodyKind.Hce];
        Assert.Equal(["hce", "hce-2"], hce.Members.Order());
        Assert.Equal(("hce", 2, 2_500m), (hce.Chair, hce.Rules.QuorumMinimum, hce.Rules.ChairsActionLimit));
    }
}

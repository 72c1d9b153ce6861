using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Partnership.Functions.Funds;
using Partnership.Functions.Notifications;
using Partnership.Functions.Pages.Account;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

/// <summary>What a person does, in headless Chromium (Debian's package) against the app on a loopback port.</summary>
public partial class BrowserTests(AzuriteFixture azurite)
{
    [GeneratedRegex("http://localhost(?<path>/decisions/[A-Za-z0-9_.-]+)")]
    private static partial Regex Link();

    [Fact]
    public async Task An_hce_member_proposes_a_recommendation_from_their_link_and_the_other_member_agrees_it_from_theirs()
    {
        await using var app = BrowserApp.Served(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
        await DrainAsync(app);
        var prompt = (await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None)).Single(m => m.To == "hce" && m.Template == "decision-prompt-hce");
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();

        await page.GotoAsync(BrowserApp.Address(app) + Link().Match(prompt.Body).Groups["path"].Value);
        Assert.Equal("Top Families Project", await page.Locator("h1").InnerTextAsync());
        await page.AssertAccessibleAsync();
        Assert.False(await page.GetByLabel("Revenue", new() { Exact = true }).IsVisibleAsync());
        await page.GetByLabel("Defer", new() { Exact = true }).CheckAsync();
        Assert.True(await page.GetByLabel("Why it is deferred").IsVisibleAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Record my decision" }).ClickAsync();
        Assert.Equal(["Give the date to defer to.", "Say why the decision is deferred."], await page.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Link).AllInnerTextsAsync());
        Assert.True(await page.GetByLabel("Why it is deferred").IsVisibleAsync());
        Assert.False(await page.GetByLabel("Reasons for rejecting").IsVisibleAsync());
        await page.AssertAccessibleAsync();
        Assert.Equal(BidStage.HceRecommendation, (await StateAsync(app, bidId)).Stage);

        await page.GetByLabel("Recommend approval").CheckAsync();
        await page.GetByLabel("Revenue", new() { Exact = true }).FillAsync("50000");
        await page.GetByLabel("Budget line").SelectOptionAsync(AppFactory.Line);
        await page.GetByLabel("Conditions").FillAsync("Quarterly reports to the Board");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record my decision" }).ClickAsync();

        Assert.Equal("Proposal put to HCE", await page.Locator("h1").InnerTextAsync());
        await page.AssertAccessibleAsync();
        var proposed = await StateAsync(app, bidId);
        Assert.Equal((BidStage.HceRecommendation, 50_000m, "Quarterly reports to the Board"), (proposed.Stage, proposed.PendingMotion!.Terms.Amount!.Revenue, proposed.PendingMotion.Terms.Text));

        // The other member of HCE is asked to vote on it, and must first say whether they have an interest.
        await DrainAsync(app);
        var vote = (await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None)).Single(m => m.To == "hce-2" && m.Template == "vote-prompt-hce");
        await page.GotoAsync(BrowserApp.Address(app) + Link().Match(vote.Body).Groups["path"].Value);
        Assert.Contains("HCE is asked to: Agree £50,000.00 from 2010-11-laa-reward-grant, on condition: Quarterly reports to the Board.", await page.Locator(".govuk-inset-text").Last.InnerTextAsync(), StringComparison.Ordinal);
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record my vote" }).ClickAsync();
        Assert.Equal(["Say whether you have an interest in Kids Can Achieve."], await page.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Link).AllInnerTextsAsync());
        await page.AssertAccessibleAsync();
        await page.GetByLabel("No, I have no interest in it").CheckAsync();
        await page.GetByLabel("Agree", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Record my vote" }).ClickAsync();

        Assert.Equal("Vote recorded", await page.Locator("h1").InnerTextAsync());
        await page.AssertAccessibleAsync();
        var state = await StateAsync(app, bidId);
        Assert.Equal((BidStage.BoardApproval, 50_000m, "Quarterly reports to the Board"), (state.Stage, state.Recommendation!.Amount!.Revenue, state.Recommendation.Conditions));
    }

    [Fact]
    public async Task A_coordinator_chooses_the_digest_is_shown_what_cannot_work_and_saves_a_choice_that_can()
    {
        await using var app = BrowserApp.Served(azurite);
        await app.SeedAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(BrowserApp.Address(app) + "/");
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Use the development sign-in" }).ClickAsync();
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Coordinator", Exact = true }).ClickAsync();
        Assert.Equal(BrowserApp.Address(app) + "/", page.Url);
        await page.NavigateToAsync("How you hear from us");

        Assert.Equal(BrowserApp.Address(app) + PreferencesModel.Path, page.Url);
        await page.AssertAccessibleAsync();
        Assert.True(await page.GetByLabel("Email", new() { Exact = true }).IsCheckedAsync());
        await page.GetByLabel("Microsoft Teams", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Send routine news as one email each working morning").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var summary = page.GetByRole(AriaRole.Alert);
        Assert.Contains("There is a problem", await summary.InnerTextAsync(), StringComparison.Ordinal);
        await page.AssertAccessibleAsync();
        await summary.GetByRole(AriaRole.Link).ClickAsync();
        Assert.Equal("dailyDigest", await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.Equal(NotificationPreferences.Default, await app.Get<PreferenceStore>().FindAsync("coordinator", CancellationToken.None));

        await page.GetByLabel("Email and Microsoft Teams").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        Assert.Contains("Your choice is saved.", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.GetByLabel("Send routine news as one email each working morning").IsCheckedAsync());
        Assert.Equal(new NotificationPreferences(Channels.Both, true, null), await app.Get<PreferenceStore>().FindAsync("coordinator", CancellationToken.None));
    }

    [Fact]
    public async Task A_coordinator_changes_a_funds_decision_window_after_being_told_what_is_wrong()
    {
        await using var app = BrowserApp.Served(azurite);
        await app.SeedAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        await page.SignInAsync(BrowserApp.Address(app), "Coordinator");
        await page.NavigateToAsync("What needs you today");
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Settings:" }).First.ClickAsync();
        await page.AssertAccessibleAsync();

        await page.Locator("#HceRecommendation-workingDays").FillAsync("0");
        await page.GetByLabel("Remind this many days before").FillAsync("14, soon");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the settings" }).ClickAsync();
        var summary = await page.GetByRole(AriaRole.Alert).InnerTextAsync();
        Assert.Contains("HCE recommendation: The decision window must be between 1 and 120 working days.", summary, StringComparison.Ordinal);
        Assert.Contains("Give whole numbers of days separated by commas", summary, StringComparison.Ordinal);
        await page.AssertAccessibleAsync();
        Assert.Equal(10, (await app.Get<FundStore>().FindAsync(AppFactory.Fund, CancellationToken.None))!.Deadlines.For(BidStage.HceRecommendation)!.WorkingDays);

        await page.Locator("#HceRecommendation-workingDays").FillAsync("12");
        await page.GetByLabel("Remind this many days before").FillAsync("21, 7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the settings" }).ClickAsync();
        Assert.Contains("The settings are saved", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        var fund = await new FundStore(app.Get<Infrastructure.Storage>(), app.Get<Partnership.Workflows.WorkingCalendar>()).FindAsync(AppFactory.Fund, CancellationToken.None);
        Assert.Equal((12, "21, 7"), (fund!.Deadlines.For(BidStage.HceRecommendation)!.WorkingDays, string.Join(", ", fund.Monitoring.RemindDaysBefore)));
    }

    [Fact]
    public async Task An_auditor_reads_every_bid_and_view_and_is_offered_no_action()
    {
        await using var app = BrowserApp.Served(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        await page.SignInAsync(BrowserApp.Address(app), "Auditor");

        await page.NavigateToAsync("All bids");
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Asked for" }).ClickAsync();
        Assert.Equal("ascending", await page.Locator("th", new() { HasTextString = "Asked for" }).GetAttributeAsync("aria-sort"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Top Families Project" }).ClickAsync();
        Assert.EndsWith($"/bids/{bidId}", page.Url, StringComparison.Ordinal);
        Assert.Contains("Catherine Doran", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.AssertAccessibleAsync();
        foreach (var view in new[] { "All bids", "Budget lines", "Spend" })
        {
            await page.NavigateToAsync(view);
            Assert.Equal(0, await page.Locator("main form[method=post]").CountAsync());
        }

        await page.GotoAsync(BrowserApp.Address(app) + $"/bids/{bidId}");
        Assert.Equal(0, await page.Locator("main form").CountAsync());
        Assert.Equal(0, await page.Locator("main button").CountAsync());
    }
}

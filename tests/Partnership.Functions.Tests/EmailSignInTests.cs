using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Partnership.Functions.Identity;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;

namespace Partnership.Functions.Tests;

/// <summary>
/// Applicants sign in with a link sent by email: it works once, for fifteen minutes, for the address it went to, and
/// only through the page's POST; an unknown address is answered exactly as a known one; asking is rate-limited.
/// </summary>
public partial class EmailSignInTests(AzuriteFixture azurite)
{
    private const string Known = "bids@kca.example.org";

    [GeneratedRegex(@"http://localhost(?<path>/sign-in/email/[A-Za-z0-9_.-]+)")]
    private static partial Regex Link();

    private static HttpClient Browser(AppFactory app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    internal static async Task<string> LinkSentToAsync(AppFactory app, string address, int nth = 1)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var sent = (await app.Get<MessageLog>().ListAsync("", CancellationToken.None)).Where(m => m.Template == "sign-in-link" && m.Email == address).OrderBy(m => m.RecordedAt).ToList();
            if (sent.Count >= nth)
            {
                return Link().Match(sent[nth - 1].Body).Groups["path"].Value;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), $"No sign-in link reached {address}.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_applicant_asks_opens_the_link_without_using_it_then_signs_in_once()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var browser = Browser(app);

        var asked = await browser.SubmitAsync("/sign-in/email", ("email", "  BIDS@kca.example.org "));
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("Check your email", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var link = await LinkSentToAsync(app, Known);

        var opened = await browser.GetAsync(link);
        var openedAgain = await browser.GetAsync(link);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (opened.StatusCode, openedAgain.StatusCode));
        Assert.Contains($"You are signing in as <strong>{Known}</strong>", await opened.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(opened.Headers.TryGetValues("Set-Cookie", out var openCookies) && openCookies.Any(c => c.StartsWith(SignInSetup.SessionCookie, StringComparison.Ordinal)));

        var signedIn = await browser.SubmitAsync(link);
        Assert.Equal((HttpStatusCode.Redirect, "/applicant"), (signedIn.StatusCode, signedIn.Headers.Location?.OriginalString));
        var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SignInSetup.SessionCookie, StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
        var home = await browser.GetAsync("/applicant");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Kids Can Achieve", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var replayed = await Browser(app).SubmitToAsync("/sign-in/email", link);
        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        Assert.Contains("has been used already", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var signedOut = await browser.SubmitAsync("/sign-out");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        var after = new HttpRequestMessage(HttpMethod.Get, "/applicant");
        after.Headers.Accept.ParseAdd("text/html");
        Assert.Equal("/sign-in", (await browser.SendAsync(after)).Headers.Location?.AbsolutePath);

        var audit = await app.Get<SignInAudit>().RecentAsync(10, CancellationToken.None);
        Assert.Equal([SignInAudit.SignedOut, SignInAudit.Refused, SignInAudit.SignedIn], audit.Select(e => e.What));
        Assert.Equal(("applicant-kca", "email link", "used already"), (audit[2].UserId, audit[2].Method, audit[1].Detail));
    }

    [Fact]
    public async Task An_expired_or_tampered_link_signs_nobody_in()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        await Browser(app).SubmitAsync("/sign-in/email", ("email", Known));
        var link = await LinkSentToAsync(app, Known);
        var payload = link.Split('/')[^1].Split('.');
        var tampered = $"/sign-in/email/{payload[0][..^2]}{(payload[0][^2] == 'A' ? 'B' : 'A')}{payload[0][^1]}.{payload[1]}";

        var forged = await Browser(app).SubmitToAsync(link, tampered);
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        var expired = await Browser(app).SubmitToAsync("/sign-in/email", link);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (forged.StatusCode, expired.StatusCode));
        Assert.Contains("not valid", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("has expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.All(new[] { forged, expired }, r => Assert.DoesNotContain(r.Headers.TryGetValues("Set-Cookie", out var c) ? c : [], c => c.StartsWith(SignInSetup.SessionCookie, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_unknown_address_gets_the_same_answer_before_anything_is_looked_up_and_its_link_starts_an_applicant()
    {
        var mailing = new TaskCompletionSource();
        await using var app = new AppFactory(azurite, services: s => s.AddSingleton<IEmailChannel>(new HeldEmail(mailing.Task)));
        await app.SeedAsync();

        var known = await Browser(app).SubmitAsync("/sign-in/email", ("email", Known));
        var unknown = await Browser(app).SubmitAsync("/sign-in/email", ("email", "new.charity@example.org"));

        Assert.Equal(known.StatusCode, unknown.StatusCode);
        Assert.Equal(MainOf(await known.Content.ReadAsStringAsync()).Replace(Known, "ADDRESS", StringComparison.Ordinal), MainOf(await unknown.Content.ReadAsStringAsync()).Replace("new.charity@example.org", "ADDRESS", StringComparison.Ordinal));
        mailing.SetResult();
        var link = await LinkSentToAsync(app, "new.charity@example.org");
        var message = (await app.Get<MessageLog>().ListAsync("", CancellationToken.None)).Single(m => m.Email == "new.charity@example.org");
        Assert.Contains("There is no Partnership Funds account for this email address yet", message.Body, StringComparison.Ordinal);

        var browser = Browser(app);
        var signedIn = await browser.SubmitAsync(link);
        Assert.Equal((HttpStatusCode.Redirect, "/organisations/register"), (signedIn.StatusCode, signedIn.Headers.Location?.OriginalString));
        var person = await app.Get<UserDirectory>().FindByEmailAsync("new.charity@example.org", CancellationToken.None);
        Assert.Equal((Workflows.Role.Applicant, null), (person!.Role, person.OrganisationId));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/organisations/register")).StatusCode);
    }

    [Fact]
    public async Task Staff_cannot_sign_in_by_email_and_a_malformed_address_is_told_so()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();

        var malformed = await Browser(app).SubmitAsync("/sign-in/email", ("email", "not an address"));
        await Browser(app).SubmitAsync("/sign-in/email", ("email", "coordinator@example.org"));
        var refused = await Browser(app).SubmitAsync(await LinkSentToAsync(app, "coordinator@example.org"));

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("Enter an email address in the correct format", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("sign in with their organisation", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_too_often_for_one_address_or_from_one_client_is_refused_and_sends_nothing_more()
    {
        await using var app = new AppFactory(azurite, settings: new Dictionary<string, string> { ["EmailSignIn:PerAddress"] = "2", ["EmailSignIn:PerClient"] = "4" });
        await app.SeedAsync();

        var forOne = new List<HttpStatusCode>();
        foreach (var _ in Enumerable.Range(0, 3))
        {
            forOne.Add((await Browser(app).SubmitAsync("/sign-in/email", ("email", Known))).StatusCode);
        }

        var others = new List<HttpStatusCode>();
        foreach (var n in Enumerable.Range(0, 2))
        {
            others.Add((await Browser(app).SubmitAsync("/sign-in/email", ("email", $"someone{n}@example.org"))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], forOne);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], others);
        await LinkSentToAsync(app, Known, 2);
        await Task.Delay(500);
        Assert.Equal(2, (await app.Get<MessageLog>().ListAsync("", CancellationToken.None)).Count(m => m.Email == Known));
    }

    [Fact]
    public async Task An_applicant_signs_in_in_the_browser_from_the_link_in_the_outbox()
    {
        await using var app = BrowserApp.Served(azurite);
        await app.SeedAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        var site = BrowserApp.Address(app);

        await page.GotoAsync(site + "/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Email me a sign-in link" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a sign-in link" }).ClickAsync();
        Assert.Contains("Enter your email address.", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await page.AssertAccessibleAsync();
        await page.GetByLabel("Email address").FillAsync(Known);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send me a sign-in link" }).ClickAsync();
        Assert.Equal("Check your email", await page.Locator("h1").InnerTextAsync());
        await page.AssertAccessibleAsync();

        // They act for two organisations, so signing in asks which one.
        await app.Get<UserDirectory>().JoinAsync("applicant-kca", "other-org", actForIt: false, CancellationToken.None);
        var link = await LinkSentToAsync(app, Known);
        await page.GotoAsync(site + "/dev/outbox");
        await page.GetByRole(AriaRole.Link, new() { Name = "http://localhost" + link }).First.WaitForAsync();
        await page.GotoAsync(site + link);
        await page.AssertAccessibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        Assert.EndsWith("/organisations/choose", page.Url, StringComparison.Ordinal);
        Assert.True(await page.GetByLabel("Kids Can Achieve (kids-can-achieve)").IsCheckedAsync());
        await page.AssertAccessibleAsync();
        await page.GetByLabel("Another Organisation (other-org)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        Assert.EndsWith("/applicant", page.Url, StringComparison.Ordinal);
        Assert.Contains("Another Organisation", await page.Locator(".govuk-caption-l").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Signed in as Kids Can Achieve applicant", await page.Locator(".govuk-phase-banner").InnerTextAsync(), StringComparison.Ordinal);
        await page.AssertAccessibleAsync();
        await page.NavigateToAsync("Change organisation");
        Assert.True(await page.GetByLabel("Another Organisation (other-org)").IsCheckedAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        Assert.Contains("You are not signed in", await page.Locator(".govuk-phase-banner").InnerTextAsync(), StringComparison.Ordinal);
    }

    private static string MainOf(string html) => html[html.IndexOf("<main", StringComparison.Ordinal)..html.IndexOf("</main>", StringComparison.Ordinal)];

    /// <summary>Holds every email until the test lets it go: a request answered meanwhile did not wait on sending.</summary>
    private sealed class HeldEmail(Task release) : IEmailChannel
    {
        public async Task<ChannelResult> SendAsync(EmailMessage email, CancellationToken cancellationToken)
        {
            await release.WaitAsync(cancellationToken);
            return new ChannelResult(true, "Kept in the local outbox");
        }
    }
}

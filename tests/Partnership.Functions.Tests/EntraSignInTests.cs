using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.Tokens;
using Partnership.Functions.Identity;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows;

namespace Partnership.Functions.Tests;

/// <summary>
/// Staff sign in with their organisation's Entra ID account: a local issuer stands in for Microsoft's, and the app
/// checks its tokens with the same Microsoft.Identity.Web set-up as in Azure, for the API's bearer tokens and for the
/// pages' sign-in alike.
/// </summary>
public sealed class EntraSignInTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly StaffAccount Coordinator = new(TestIssuer.Council, "0c000000-0000-4000-8000-000000000001", "Cora Ordinator", "cora@council.example.gov.uk", "Coordinator");

    private TestIssuer _issuer = null!;

    public async ValueTask InitializeAsync() => _issuer = await TestIssuer.StartAsync();

    public async ValueTask DisposeAsync() => await _issuer.DisposeAsync();

    private AppFactory App(string environment = "Testing", bool entra = true) =>
        new(azurite, TestIssuer.Trust, entra ? _issuer.Settings : null, environment: environment);

    private static HttpClient Bearer(AppFactory app, string token)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A browser on the app's HTTPS address, which the sign-in's cookies need; redirects are followed by hand.</summary>
    private static HttpClient Browser(AppFactory app)
    {
        // The sign-in's correlation cookies expire by the app's clock, and a client drops a cookie already expired by its own.
        if (DateTimeOffset.UtcNow > app.Clock.GetUtcNow())
        {
            app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        }

        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }

    /// <summary>
    /// What a person does: opens a page, is sent to sign in, chooses the work account, signs in at the issuer, whose
    /// page posts the answer back. Returns the app's answer to that post.
    /// </summary>
    private async Task<HttpResponseMessage> SignInThroughThePagesAsync(HttpClient browser, StaffAccount account, string page)
    {
        var opened = await browser.GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.StartsWith("/sign-in?returnUrl=", opened.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);

        var chooser = await browser.GetStringAsync("/sign-in?returnUrl=" + Uri.EscapeDataString(page));
        Assert.Contains($"/sign-in/staff?returnUrl={Uri.EscapeDataString(page)}", chooser, StringComparison.Ordinal);

        var challenged = await browser.GetAsync($"/sign-in/staff?returnUrl={Uri.EscapeDataString(page)}");
        Assert.Equal(HttpStatusCode.Redirect, challenged.StatusCode);
        var authorize = challenged.Headers.Location!;
        Assert.StartsWith(_issuer.Instance + "organizations/oauth2/v2.0/authorize", authorize.AbsoluteUri, StringComparison.Ordinal);

        _issuer.NextSignIn = account;
        using var atMicrosoft = new HttpClient(TestIssuer.TrustingHandler());
        var answered = await atMicrosoft.GetAsync(authorize);
        var form = await answered.Content.ReadAsStringAsync();
        Assert.True(answered.IsSuccessStatusCode, form);
        var action = new Uri(TestIssuer.FormAction(form));
        Assert.Equal("https://localhost/signin-oidc", action.AbsoluteUri);
        return await browser.PostAsync(action.AbsolutePath, new FormUrlEncodedContent(TestIssuer.FormFields(form)));
    }

    [Theory]
    [InlineData("Coordinator", Role.Coordinator, false)]
    [InlineData("HceMember", Role.HceMember, false)]
    [InlineData("BoardMember", Role.BoardMember, false)]
    [InlineData("BoardChair", Role.BoardMember, true)]
    [InlineData("FinanceOfficer", Role.FinanceOfficer, false)]
    [InlineData("Auditor", Role.Auditor, false)]
    public async Task A_bearer_token_from_a_partner_tenant_gives_the_role_of_its_app_role_and_puts_the_person_in_the_directory(string appRole, Role role, bool chair)
    {
        await using var app = App();
        await app.SeedAsync();
        var account = new StaffAccount(TestIssuer.NhsTrust, Guid.NewGuid().ToString(), "Nia Trust", "nia@nhs.example.uk", appRole);

        var me = await Bearer(app, _issuer.Token(account)).GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync());
        Assert.Equal(role.ToString(), body.RootElement.GetProperty("role").GetString());
        Assert.Equal(new AppUser(account.ObjectId, "Nia Trust", "nia@nhs.example.uk", role, null, chair), await app.Get<UserDirectory>().FindAsync(account.ObjectId, CancellationToken.None));
    }

    [Fact]
    public async Task Tokens_expired_for_another_audience_from_another_tenant_or_signed_by_another_key_are_refused_and_a_token_without_a_role_opens_nothing()
    {
        await using var app = App();
        await app.SeedAsync();
        using var stranger = RSA.Create(2048);

        var answers = new Dictionary<string, HttpStatusCode>
        {
            ["valid"] = (await Bearer(app, _issuer.Token(Coordinator)).GetAsync("/api/me")).StatusCode,
            ["expired"] = (await Bearer(app, _issuer.Token(Coordinator, expires: DateTimeOffset.UtcNow.AddMinutes(-10))).GetAsync("/api/me")).StatusCode,
            ["wrong audience"] = (await Bearer(app, _issuer.Token(Coordinator, audience: "api://another-app")).GetAsync("/api/me")).StatusCode,
            ["wrong tenant"] = (await Bearer(app, _issuer.Token(Coordinator with { Tenant = TestIssuer.Stranger })).GetAsync("/api/me")).StatusCode,
            ["another key"] = (await Bearer(app, _issuer.Token(Coordinator, signedWith: new RsaSecurityKey(stranger) { KeyId = "not-the-issuers" })).GetAsync("/api/me")).StatusCode,
            ["no role"] = (await Bearer(app, _issuer.Token(Coordinator with { ObjectId = Guid.NewGuid().ToString(), AppRoles = [] })).GetAsync("/api/me")).StatusCode,
            ["two roles"] = (await Bearer(app, _issuer.Token(Coordinator with { ObjectId = Guid.NewGuid().ToString(), AppRoles = ["Coordinator", "FinanceOfficer"] })).GetAsync("/api/me")).StatusCode,
        };

        Assert.Equal(new Dictionary<string, HttpStatusCode>
        {
            ["valid"] = HttpStatusCode.OK,
            ["expired"] = HttpStatusCode.Unauthorized,
            ["wrong audience"] = HttpStatusCode.Unauthorized,
            ["wrong tenant"] = HttpStatusCode.Unauthorized,
            ["another key"] = HttpStatusCode.Unauthorized,
            ["no role"] = HttpStatusCode.Forbidden,
            ["two roles"] = HttpStatusCode.Forbidden,
        }, answers);
        Assert.Single(await app.Get<UserDirectory>().ListAsync(CancellationToken.None), u => u.Email == Coordinator.Email);
    }

    [Fact]
    public async Task A_coordinator_signs_in_with_their_work_account_lands_where_they_were_going_and_signs_out()
    {
        await using var app = App();
        await app.SeedAsync();
        var browser = Browser(app);

        var back = await SignInThroughThePagesAsync(browser, Coordinator, "/coordinator");

        Assert.Equal((HttpStatusCode.Redirect, "/coordinator"), (back.StatusCode, back.Headers.Location?.OriginalString));
        var cookie = back.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SignInSetup.StaffCookie + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        var dashboard = await browser.GetAsync("/coordinator");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Signed in as Cora Ordinator", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var signedOut = await browser.SubmitAsync("/sign-out");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/coordinator")).StatusCode);

        var audit = await app.Get<SignInAudit>().RecentAsync(10, CancellationToken.None);
        Assert.Equal(
            [(SignInAudit.SignedOut, Coordinator.ObjectId), (SignInAudit.SignedIn, Coordinator.ObjectId)],
            audit.Select(e => (e.What, e.UserId)));
        Assert.Equal((EntraStaff.Method, "as Coordinator"), (audit[1].Method, audit[1].Detail));
    }

    [Fact]
    public async Task A_work_account_from_a_tenant_that_is_not_a_partner_is_turned_back_with_nothing_signed_in_and_the_refusal_recorded()
    {
        await using var app = App();
        await app.SeedAsync();
        var browser = Browser(app);

        var back = await SignInThroughThePagesAsync(browser, Coordinator with { Tenant = TestIssuer.Stranger }, "/coordinator");

        Assert.Equal((HttpStatusCode.Redirect, "/sign-in/refused"), (back.StatusCode, back.Headers.Location?.OriginalString));
        Assert.DoesNotContain(back.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(SignInSetup.StaffCookie + "=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        var refused = await browser.GetAsync("/sign-in/refused");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("You could not be signed in", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/coordinator")).StatusCode);
        var audit = Assert.Single(await app.Get<SignInAudit>().RecentAsync(10, CancellationToken.None));
        Assert.Equal((SignInAudit.Refused, $"tenant {TestIssuer.Stranger} is not a partner's"), (audit.What, audit.Detail));
        Assert.Null(await app.Get<UserDirectory>().FindAsync(Coordinator.ObjectId, CancellationToken.None));
    }

    [Fact]
    public async Task A_person_signed_in_without_a_role_is_shown_the_page_that_says_so_and_can_open_nothing_else()
    {
        await using var app = App();
        await app.SeedAsync();
        var browser = Browser(app);
        var nobody = new StaffAccount(TestIssuer.Council, Guid.NewGuid().ToString(), "Ned Oroll", "ned@council.example.gov.uk");

        var back = await SignInThroughThePagesAsync(browser, nobody, "/coordinator");
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);

        var page = await browser.GetAsync("/coordinator");
        Assert.Equal((HttpStatusCode.Redirect, NoRoleResultHandler.Path), (page.StatusCode, page.Headers.Location?.OriginalString));
        var noAccess = await browser.GetAsync(NoRoleResultHandler.Path);
        var html = await noAccess.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, noAccess.StatusCode);
        Assert.Contains("You cannot use Partnership Funds yet", html, StringComparison.Ordinal);
        Assert.Contains("ned@council.example.gov.uk", html, StringComparison.Ordinal);
        Assert.DoesNotContain("govuk-service-navigation__item", html, StringComparison.Ordinal);
        Assert.Contains("no role in Partnership Funds yet", await browser.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/bids/")).StatusCode);
        Assert.Null(await app.Get<UserDirectory>().FindAsync(nobody.ObjectId, CancellationToken.None));
    }

    [Fact]
    public void The_app_roles_an_administrator_creates_are_exactly_the_ones_the_app_reads()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(AzuriteFixture.RepositoryRoot(), "infra", "entra", "app-roles.json")));
        var roles = manifest.RootElement.EnumerateArray().ToList();

        Assert.Equal(EntraAppRoles.Roles.Keys.Order(StringComparer.Ordinal), roles.Select(r => r.GetProperty("value").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(roles.Count, roles.Select(r => Guid.Parse(r.GetProperty("id").GetString()!)).Distinct().Count());
        Assert.All(roles, r => Assert.Equal(["User"], r.GetProperty("allowedMemberTypes").EnumerateArray().Select(t => t.GetString())));
        Assert.All(roles, r => Assert.True(r.GetProperty("isEnabled").GetBoolean()));
    }

    [Fact]
    public async Task In_production_the_app_will_not_start_without_Entra_ID_and_names_each_missing_setting()
    {
        await using var app = App("Production", entra: false);

        var failure = Assert.ThrowsAny<Exception>(() => app.Services);

        var message = failure.ToString();
        Assert.Contains("AzureAd:ClientId", message, StringComparison.Ordinal);
        Assert.Contains("AzureAd:ClientSecret", message, StringComparison.Ordinal);
        Assert.Contains("AzureAd:AllowedTenants", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_production_staff_sign_in_through_Entra_ID_and_the_development_sign_in_is_not_there()
    {
        await using var app = App("Production");
        await app.SeedAsync();
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        client.DefaultRequestHeaders.Add(DevelopmentSignInHandler.Header, "coordinator");
        client.DefaultRequestHeaders.Add("Cookie", $"{DevelopmentSignInHandler.Cookie}=coordinator");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
        var chooser = await client.GetStringAsync("/sign-in");
        Assert.DoesNotContain("development sign-in", chooser, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Sign in with your work account", chooser, StringComparison.Ordinal);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _issuer.Token(Coordinator));
        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("Coordinator", me.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/dev/sign-in")).StatusCode);
    }
}

internal static class UriExtensions
{
    /// <summary>The path and query of a redirect, relative or absolute.</summary>
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;

namespace Partnership.Functions.Tests;

public class PreferenceTests(AzuriteFixture azurite)
{
    private static async Task<JsonElement> MineAsync(HttpClient client) => await client.GetFromJsonAsync<JsonElement>("/api/me/preferences");

    [Fact]
    public async Task Everyone_starts_on_email_and_can_choose_teams_or_both()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var hce = app.ClientFor("hce");

        var start = await MineAsync(hce);
        Assert.Equal(("Email", false, false, false), (start.GetProperty("channels").GetString(), start.GetProperty("dailyDigest").GetBoolean(), start.GetProperty("teamsConnected").GetBoolean(), start.GetProperty("digestAvailable").GetBoolean()));

        await hce.PutAsJsonAsync("/api/me/preferences", new { channels = "both", teamsUserId = "hce.member@partnership.example.org" }).Ok();
        var chosen = await MineAsync(hce);
        Assert.Equal(("Both", "hce.member@partnership.example.org"), (chosen.GetProperty("channels").GetString(), chosen.GetProperty("teamsUserId").GetString()));
        Assert.Equal(new NotificationPreferences(Channels.Both, false, "hce.member@partnership.example.org"), await app.Get<PreferenceStore>().FindAsync("hce", CancellationToken.None));
        Assert.Equal("Email", (await MineAsync(app.ClientFor("hce-2"))).GetProperty("channels").GetString());
    }

    [Theory]
    [InlineData("hce", "Pigeon", false, null, "channels")]
    [InlineData("hce", "3", false, null, "channels")]
    [InlineData("hce", null, false, null, "channels")]
    [InlineData("hce", "Email", true, null, "dailyDigest")]
    [InlineData("coordinator", "Teams", true, null, "dailyDigest")]
    [InlineData("coordinator", "Email", false, "not an address", "teamsUserId")]
    [InlineData("board", "Teams", false, "@example.org", "teamsUserId")]
    public async Task A_choice_that_cannot_work_is_refused_field_by_field_and_changes_nothing(string userId, string? channels, bool dailyDigest, string? teamsUserId, string field)
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var client = app.ClientFor(userId);

        var response = await client.PutAsJsonAsync("/api/me/preferences", new { channels, dailyDigest, teamsUserId });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(NotificationPreferences.Default, await app.Get<PreferenceStore>().FindAsync(userId, CancellationToken.None));
    }

    [Fact]
    public async Task A_coordinator_may_take_the_daily_digest_by_email()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var coordinator = app.ClientFor("coordinator");

        await coordinator.PutAsJsonAsync("/api/me/preferences", new { channels = "Email", dailyDigest = true }).Ok();

        var chosen = await MineAsync(coordinator);
        Assert.Equal((true, true), (chosen.GetProperty("dailyDigest").GetBoolean(), chosen.GetProperty("digestAvailable").GetBoolean()));
    }

    [Theory]
    [InlineData("/me/preferences?saved=true", "/me/preferences?saved=true")]
    [InlineData("//evil.example.org/", "/")]
    [InlineData("/\\evil.example.org/", "/")]
    [InlineData("https://evil.example.org/", "/")]
    public async Task Signing_in_brings_a_person_back_to_the_page_they_asked_for_and_never_elsewhere(string returnUrl, string expected)
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var page = new HttpRequestMessage(HttpMethod.Get, "/me/preferences");
        page.Headers.Accept.ParseAdd("text/html");

        var challenge = await browser.SendAsync(page);
        var signedIn = await browser.SubmitAsync("/dev/sign-in", ("userId", "coordinator"), ("returnUrl", returnUrl));

        Assert.Equal((HttpStatusCode.Redirect, "/sign-in?returnUrl=%2Fme%2Fpreferences"), (challenge.StatusCode, challenge.Headers.Location?.PathAndQuery));
        Assert.Equal((HttpStatusCode.Redirect, expected), (signedIn.StatusCode, signedIn.Headers.Location?.OriginalString));
    }
}

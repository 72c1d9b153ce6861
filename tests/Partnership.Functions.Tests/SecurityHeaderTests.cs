using System.Net;
using Partnership.Functions.Tests.Support;

namespace Partnership.Functions.Tests;

/// <summary>Every kind of response carries the security headers: a page, an API answer, an error and a static file.</summary>
public class SecurityHeaderTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Pages_api_answers_errors_and_static_files_all_carry_the_security_headers()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var coordinator = app.ClientFor("coordinator");
        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["page"] = await coordinator.GetAsync("/coordinator"),
            ["api"] = await coordinator.GetAsync("/api/me"),
            ["problem"] = await app.ClientFor("applicant-kca").PostAsync("/api/bids", new StringContent("{", System.Text.Encoding.UTF8, "application/json")),
            ["not found"] = await coordinator.GetAsync("/no-such-page"),
            ["refused"] = await app.ClientFor(null).GetAsync("/api/me"),
            ["static"] = await coordinator.GetAsync("/assets/app.mjs"),
        };
        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized, HttpStatusCode.OK],
            responses.Values.Select(r => r.StatusCode));

        foreach (var (kind, response) in responses)
        {
            string Header(string name) => response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
                ? string.Join(", ", values) : throw new Xunit.Sdk.XunitException($"The {kind} response has no {name} header.");
            var policy = Header("Content-Security-Policy");
            Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
            Assert.Equal(("DENY", "nosniff", "no-referrer"), (Header("X-Frame-Options"), Header("X-Content-Type-Options"), Header("Referrer-Policy")));
            Assert.StartsWith("max-age=31536000", Header("Strict-Transport-Security"), StringComparison.Ordinal);
            Assert.Equal(kind != "static", response.Headers.CacheControl?.NoStore == true);
        }
    }

    [Fact]
    public async Task Only_the_pages_teams_opens_may_be_framed_and_only_by_teams()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();

        var tab = await app.ClientFor("hce").GetAsync("/teams/tab");
        var home = await app.ClientFor("hce").GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, tab.StatusCode);
        Assert.Contains("frame-ancestors 'self' https://teams.microsoft.com", string.Join("", tab.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.False(tab.Headers.Contains("X-Frame-Options"), string.Join(" | ", tab.Headers.Select(h => $"{h.Key}: {string.Join(",", h.Value)}")));
        Assert.Contains("frame-ancestors 'none'", string.Join("", home.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }
}

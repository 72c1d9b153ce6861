using Microsoft.Extensions.Options;
using Partnership.Functions.Tests.Support;

namespace Partnership.Functions.Tests;

/// <summary>A setting out of its bounds stops the app at start, naming the setting, rather than at first use.</summary>
public class StartupSettingsTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("Email:FromAddress", "not an address", "FromAddress")]
    [InlineData("EmailSignIn:PerAddress", "0", "PerAddress")]
    [InlineData("EmailSignIn:LinkLifetime", "1.00:00:00", "LinkLifetime")]
    [InlineData("RateLimits:LinksPerMinute", "0", "LinksPerMinute")]
    [InlineData("Teams:GraphBaseUrl", "graph", "GraphBaseUrl")]
    [InlineData("EmailWebhook:MaxAge", "00:00:01", "MaxAge")]
    public async Task A_setting_out_of_bounds_stops_the_start_and_is_named(string key, string value, string named)
    {
        await using var app = new AppFactory(azurite, settings: new Dictionary<string, string> { [key] = value });

        var refused = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }
}

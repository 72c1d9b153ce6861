using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Partnership.Functions.Tests.Support;

/// <summary>Debian's headless Chromium driven by Playwright (its own browser download does not work here).</summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Chromium(IPlaywright playwright, IBrowser browser) => (_playwright, _browser) = (playwright, browser);

    public static async Task<Chromium> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>
    /// A page in a fresh context (its own cookies), at a desktop size or a phone's, with or without script. Anything
    /// the Content-Security-Policy refuses is kept, for <see cref="Accessibility.AssertAccessibleAsync"/> to fail on.
    /// </summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, bool script = true)
    {
        var page = await (await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, JavaScriptEnabled = script })).NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                Accessibility.Refused(page).Add($"{page.Url}: {message.Text}");
            }
        };
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

public static class Pages
{
    /// <summary>Starts at the home page and signs in as <paramref name="person"/> through the sign-in it offers.</summary>
    public static async Task SignInAsync(this IPage page, string site, string person)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(site + "/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Use the development sign-in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = person, Exact = true }).ClickAsync();
    }

    /// <summary>Follows a link in the service navigation, opening its menu first where the screen is narrow enough to fold it.</summary>
    public static async Task NavigateToAsync(this IPage page, string link)
    {
        ArgumentNullException.ThrowIfNull(page);
        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" });
        var toggle = navigation.GetByRole(AriaRole.Button, new() { Name = "Menu" });
        if (await toggle.IsVisibleAsync())
        {
            await toggle.ClickAsync();
        }

        await navigation.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
    }
}

public static class Accessibility
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, System.Collections.Concurrent.ConcurrentBag<string>> RefusedByPolicy = [];

    /// <summary>What the page's Content-Security-Policy has refused so far.</summary>
    public static System.Collections.Concurrent.ConcurrentBag<string> Refused(IPage page) => RefusedByPolicy.GetOrCreateValue(page);

    /// <summary>axe-core over the page as it stands: no serious or critical violation, each one named if there is.</summary>
    public static async Task AssertAccessibleAsync(this IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Assert.True(Refused(page).IsEmpty, string.Join(Environment.NewLine, Refused(page)));
        var result = await page.RunAxe();
        Assert.NotEmpty(result.Passes);
        var serious = result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => (v.Id, v.Impact, v.Help, Nodes: v.Nodes.Where(n => !(v.Id == "aria-allowed-attr" && IsGovUkConditionalRadio(n))).ToList()))
            .Where(v => v.Nodes.Count > 0)
            .ToList();
        Assert.True(serious.Count == 0, $"{page.Url}: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>
    /// GOV.UK Frontend puts aria-expanded on a radio that reveals questions, outside the ARIA spec but on purpose:
    /// its research found screen readers announce it to users' benefit (alphagov/govuk-frontend#979, a documented
    /// known issue). Only that attribute on those radios is excused; any other disallowed attribute still fails.
    /// </summary>
    private static bool IsGovUkConditionalRadio(Deque.AxeCore.Commons.AxeResultNode node) =>
        node.Html.Contains("govuk-radios__input", StringComparison.Ordinal)
        && node.Html.Contains("aria-controls=\"conditional-", StringComparison.Ordinal)
        && node.All.Concat(node.Any).Concat(node.None).Select(check => check.Message).ToList() is { Count: > 0 } messages
        && messages.TrueForAll(message => message is "ARIA attribute is not allowed: aria-expanded=\"true\"" or "ARIA attribute is not allowed: aria-expanded=\"false\"");
}

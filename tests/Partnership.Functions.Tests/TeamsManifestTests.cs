using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;

namespace Partnership.Functions.Tests;

/// <summary>The Teams app package an administrator installs must declare what the app sends and where notifications open.</summary>
public partial class TeamsManifestTests
{
    private const string AppId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    private const string ClientId = "6731de76-14a6-49ae-97bc-6eba6914391e";

    [GeneratedRegex(@"\{(?<name>\w+)\}")]
    private static partial Regex TemplateVariable();

    private static async Task<ZipArchive> PackageAsync(string output)
    {
        var script = new ProcessStartInfo("bash", ["scripts/teams-package", "--app-id", AppId, "--client-id", ClientId, "--host", "grants.harrow.example.org", "--out", output])
        {
            WorkingDirectory = AzuriteFixture.RepositoryRoot(),
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(script)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);
        return ZipFile.OpenRead(output);
    }

    [Fact]
    public async Task The_package_declares_each_activity_type_the_app_sends_with_the_parameters_it_fills()
    {
        var output = Path.Combine(Path.GetTempPath(), $"teams-{Guid.NewGuid():N}.zip");
        using var package = await PackageAsync(output);
        using var manifest = JsonDocument.Parse(package.GetEntry("manifest.json")!.Open());
        var root = manifest.RootElement;

        var declared = root.GetProperty("activities").GetProperty("activityTypes").EnumerateArray().ToDictionary(
            a => a.GetProperty("type").GetString()!,
            a => TemplateVariable().Matches(a.GetProperty("templateText").GetString()!).Select(m => m.Groups["name"].Value).Where(n => n != "actor").Order(StringComparer.Ordinal).ToList());
        var sent = new[]
        {
            TeamsNotification.Decision("someone", "A bid", "preview", "/decisions/x"),
            TeamsNotification.Update("someone", "A bid", "A subject", "preview", "/api/bids/x"),
        }.ToDictionary(n => n.ActivityType, n => n.Parameters.Keys.Order(StringComparer.Ordinal).ToList());
        Assert.Equal(sent, declared);

        Assert.Equal((AppId, ClientId), (root.GetProperty("id").GetString(), root.GetProperty("webApplicationInfo").GetProperty("id").GetString()));
        var tab = Assert.Single(root.GetProperty("staticTabs").EnumerateArray());
        Assert.Equal(TeamsOptions.TabEntityId, tab.GetProperty("entityId").GetString());
        Assert.Equal("https://grants.harrow.example.org/teams/tab?open={subEntityId}", tab.GetProperty("contentUrl").GetString());
        Assert.Equal(["grants.harrow.example.org"], root.GetProperty("validDomains").EnumerateArray().Select(d => d.GetString()));
        Assert.DoesNotContain("{{", manifest.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_package_carries_both_icons_at_the_sizes_teams_requires()
    {
        var output = Path.Combine(Path.GetTempPath(), $"teams-{Guid.NewGuid():N}.zip");
        using var package = await PackageAsync(output);

        Assert.Equal(["color.png", "manifest.json", "outline.png"], package.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        Assert.Equal((192, 192, 2), await PngAsync(package, "color.png"));
        Assert.Equal((32, 32, 6), await PngAsync(package, "outline.png"));
    }

    [Theory]
    [InlineData("--app-id", "not-a-guid")]
    [InlineData("--host", "https://grants.example.org/")]
    public async Task A_wrong_value_stops_the_script_before_it_writes_a_package(string option, string value)
    {
        var output = Path.Combine(Path.GetTempPath(), $"teams-{Guid.NewGuid():N}.zip");
        var arguments = new Dictionary<string, string> { ["--app-id"] = AppId, ["--client-id"] = ClientId, ["--host"] = "grants.example.org", [option] = value };
        var script = new ProcessStartInfo("bash", ["scripts/teams-package", .. arguments.SelectMany(a => new[] { a.Key, a.Value }), "--out", output])
        {
            WorkingDirectory = AzuriteFixture.RepositoryRoot(),
            RedirectStandardError = true,
        };
        using var process = Process.Start(script)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(option, errors, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    /// <summary>Width, height and colour type (2 RGB, 6 RGBA) from the PNG's header chunk.</summary>
    private static async Task<(int Width, int Height, int ColourType)> PngAsync(ZipArchive package, string name)
    {
        await using var stream = package.GetEntry(name)!.Open();
        var header = new byte[26];
        await stream.ReadExactlyAsync(header);
        Assert.Equal("IHDR"u8.ToArray(), header[12..16]);
        return (BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(20)), header[25]);
    }
}

using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Partnership.Functions.Engine;
using Partnership.Functions.Hosting;
using Partnership.Functions.Tests.Support;

namespace Partnership.Functions.Tests;

/// <summary>The Functions app as built for Azure: its function list names every task the local worker runs, with the right trigger.</summary>
public class WorkerFunctionsTests
{
    private static Dictionary<string, string[]> Metadata()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(AzuriteFixture.RepositoryRoot(), "worker", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"The Functions app is not built at {path}.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings").EnumerateArray().Select(b => $"{b.GetProperty("type").GetString()}:{b.GetProperty("direction").GetString()}").ToArray());
    }

    [Fact]
    public void Every_orchestration_activity_and_timer_is_a_function_with_its_trigger()
    {
        var registry = new DurableTaskRegistry();
        EngineSetup.AddBidTasks(registry, BankHolidays.EnglandAndWales(), Options.Create(new EngineOptions()));
        var expected = registry.GetOrchestrators().Select(o => (o.Key.Name, "orchestrationTrigger:In"))
            .Concat(registry.GetActivities().Select(a => (a.Key.Name, "activityTrigger:In")))
            .Append(("DailyDigest", "timerTrigger:In"))
            .Append(("OutcomeReminders", "timerTrigger:In"))
            .ToDictionary(f => f.Item1, f => new[] { f.Item2 });

        var functions = Metadata();

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), functions.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, f => Assert.Equal(f.Value, functions[f.Key]));
    }
}

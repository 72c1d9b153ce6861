using System.Net.Http.Json;
using System.Text.Json;
using Partnership.Functions.Hosting;
using Partnership.Functions.Tests.Support;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

public class CalendarDataTests(AzuriteFixture azurite)
{
    private static readonly int[] Fortnight = [14];
    private static readonly int[] Week = [7];
    private static readonly int[] NextDay = [1];
    private static readonly int[] TwoDays = [2];

    /// <summary>Easter Sunday by the anonymous Gregorian algorithm, to check the shipped Good Fridays and Easter Mondays.</summary>
    private static DateOnly Easter(int year)
    {
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
        int h = ((19 * a) + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + (2 * e) + (2 * i) - h - k) % 7, m = (a + (11 * h) + (22 * l)) / 451;
        return new DateOnly(year, (h + l - (7 * m) + 114) / 31, ((h + l - (7 * m) + 114) % 31) + 1);
    }

    [Fact]
    public void The_shipped_bank_holidays_are_weekdays_and_include_every_easter_and_christmas()
    {
        var root = AzuriteFixture.RepositoryRoot();
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "functions", "Data", "bank-holidays-england-and-wales.json")));
        Assert.Contains("gov.uk", document.RootElement.GetProperty("source").GetString(), StringComparison.OrdinalIgnoreCase);
        var calendar = BankHolidays.EnglandAndWales();
        var dates = document.RootElement.GetProperty("dates").EnumerateArray().Select(d => DateOnly.Parse(d.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(dates, d => Assert.DoesNotContain(d.DayOfWeek, new[] { DayOfWeek.Saturday, DayOfWeek.Sunday }));
        foreach (var year in Enumerable.Range(2010, 19))
        {
            Assert.False(calendar.IsWorkingDay(Easter(year).AddDays(-2)), $"Good Friday {year}");
            Assert.False(calendar.IsWorkingDay(Easter(year).AddDays(1)), $"Easter Monday {year}");
            Assert.Equal(2, dates.Count(d => d.Year == year && d.Month == 12 && d.Day >= 25));
        }
    }

    [Fact]
    public async Task A_fund_sets_its_own_return_day_and_new_grants_follow_it()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var coordinator = app.ClientFor("coordinator");
        var bad = await coordinator.PutAsJsonAsync($"/api/funds/{AppFactory.Fund}/monitoring", new { returnDueDay = 31, remindDaysBefore = Fortnight, remindOnDueDate = true, remindDaysAfter = NextDay, repeatEveryDays = 7, escalateToCoordinatorsAfterDays = 1, flagForHceAfterDays = 14 });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        var good = await coordinator.PutAsJsonAsync($"/api/funds/{AppFactory.Fund}/monitoring", new { returnDueDay = 1, remindDaysBefore = Week, remindOnDueDate = true, remindDaysAfter = TwoDays, repeatEveryDays = 14, escalateToCoordinatorsAfterDays = 2, flagForHceAfterDays = 30 });
        Assert.True(good.IsSuccessStatusCode, await good.Content.ReadAsStringAsync());

        var bidId = await PlantedBids.InMonitoringAsync(app, new Partnership.Workflows.Funding(10_000m, 0m), "Community premises", new DateOnly(2026, 10, 1), new DateOnly(2027, 3, 31));
        var state = await StateAsync(app, bidId);
        Assert.Equal([new DateOnly(2027, 1, 4), new DateOnly(2027, 4, 1)], state.Returns.Select(r => r.DueOn));
        Assert.Equal(-7, state.Timers.Single(t => t.Subject == "2026q3").Step);
    }
}

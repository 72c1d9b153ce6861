namespace Partnership.Workflows.Tests;

public class MoneyAndCalendarTests
{
    [Fact]
    public void Funding_adds_revenue_and_capital_to_the_penny()
    {
        var total = new Funding(15_000m, 0m) + new Funding(8_000m, 0m) + new Funding(50_903.27m, 94_139m);
        Assert.Equal(new Funding(73_903.27m, 94_139m), total);
        Assert.Equal(168_042.27m, total.Total);
    }

    [Theory]
    [InlineData("0.01", true)]
    [InlineData("50903.27", true)]
    [InlineData("0.001", false)]
    [InlineData("73903.205", false)]
    public void Pence_exactness(string amount, bool exact) =>
        Assert.Equal(exact, Funding.IsPenceExact(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Working_days_count_forward_past_weekends_and_holidays()
    {
        var calendar = TestBids.Calendar;
        Assert.Equal(new DateOnly(2026, 12, 1), calendar.AddWorkingDays(new DateOnly(2026, 11, 27), 2));
        Assert.Equal(new DateOnly(2026, 12, 29), calendar.AddWorkingDays(new DateOnly(2026, 12, 24), 1));
        Assert.Equal(new DateOnly(2026, 12, 29), calendar.NextWorkingDayOnOrAfter(new DateOnly(2026, 12, 25)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 8, 31)));
    }
}

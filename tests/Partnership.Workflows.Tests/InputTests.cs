using Partnership.Workflows;
using Partnership.Workflows.Grants;

namespace Partnership.Workflows.Tests;

public class InputTests
{
    [Theory]
    [InlineData("plain text", true)]
    [InlineData("line one\nline two\ttabbed", true)]
    [InlineData("emoji \U0001F600 pair", true)]
    [InlineData("bell \u0007", false)]
    [InlineData("escape \u001B[31m", false)]
    public void Free_text_is_valid_unicode_without_control_characters(string text, bool accepted) =>
        Assert.Equal(accepted, FreeText.Problem(text, 100) is null);

    [Fact]
    public void Free_text_with_half_a_surrogate_pair_is_refused()
    {
        Assert.NotNull(FreeText.Problem($"half {(char)0xD800} a pair", 100));
        Assert.NotNull(FreeText.Problem($"low {(char)0xDC00} alone", 100));
        Assert.NotNull(FreeText.Problem($"ends high {(char)0xD83D}", 100));
    }

    [Fact]
    public void Free_text_has_a_length_limit() =>
        Assert.Contains("100", FreeText.Problem(new string('a', 101), 100), StringComparison.Ordinal);

    [Theory]
    [InlineData("2010-11-laa-reward-grant", true)]
    [InlineData("doc-1a2b", true)]
    [InlineData("../etc/passwd", false)]
    [InlineData("a/b", false)]
    [InlineData("line#1", false)]
    [InlineData(".hidden", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Ids_are_safe_as_storage_keys_and_path_segments(string? id, bool safe) => Assert.Equal(safe, Ids.IsSafe(id));

    [Fact]
    public void Amounts_are_bounded_by_the_ceiling_to_the_penny()
    {
        Assert.True(Money.IsAmount(Money.Ceiling));
        Assert.False(Money.IsAmount(Money.Ceiling + 0.01m));
        Assert.False(Money.IsAmount(-0.01m));
        Assert.False(Money.IsAmount(12.345m));
        Assert.Equal("An award can be at most £100,000,000.00 of revenue and of capital.", new Funding(decimal.MaxValue, 0m).Problem("An award"));
    }

    [Theory]
    [InlineData("2011q2", true)]
    [InlineData("2099q4", true)]
    [InlineData("2011q5", false)]
    [InlineData("9999q1", false)]
    [InlineData("11q2", false)]
    [InlineData("2011Q2", false)]
    [InlineData("+2011q2", false)]
    public void Quarter_keys_are_a_year_this_century_and_a_quarter(string key, bool valid) => Assert.Equal(valid, FinancialQuarter.TryParse(key, out _));

    [Fact]
    public void Dates_are_plausible_within_this_century()
    {
        Assert.True(Dates.IsPlausible(new DateOnly(2027, 1, 17)));
        Assert.False(Dates.IsPlausible(new DateOnly(9999, 12, 31)));
        Assert.False(Dates.IsPlausible(new DateOnly(1999, 12, 31)));
    }
}

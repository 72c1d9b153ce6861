using System.Collections.Immutable;
using Partnership.Workflows.Budgets;

namespace Partnership.Workflows.Tests;

/// <summary>Table 1 of the December 2011 budget paper, as it would stand if the Board agreed HCE's four recommendations.</summary>
public class BudgetOutlookTests
{
    private static readonly BudgetLine[] Table1 =
    [
        Line("pump-priming", "2009/10 Pump Priming", new Funding(22_968.00m, 0m)),
        Line("laa-2010", "2010/11 LAA Reward Grant", new Funding(50_935.20m, 0m)),
        Line("laa-2011", "2011/12 LAA Reward Grant", new Funding(0m, 154_139.00m)) with { SetAsides = [new SetAside("Community premises", new Funding(0m, 60_000m))] },
    ];

    [Fact]
    public void Each_line_that_would_go_below_nothing_is_named_with_its_shortfall_to_the_penny()
    {
        var outlook = BudgetOutlook.IfAllAgreed(Table1,
        [
            new("summits", "Supporting the partnership", new Funding(15_000m, 0m), "pump-priming"),
            new("lis", "Local Information System upkeep", new Funding(8_000m, 0m), "pump-priming"),
            new("top-families", "Top Families", new Funding(50_903.27m, 0m), "laa-2010"),
            new("capital", "Partnership priorities", new Funding(0m, 94_139m), "laa-2011"),
        ]);

        Assert.Equal(
            [new Funding(-32.00m, 0m), new Funding(31.93m, 0m), Funding.Zero],
            outlook.Lines.Select(l => l.After));
        Assert.Equal(new Funding(-0.07m, 0m), outlook.TotalAfter);
        Assert.Equal(
            ["2009/10 Pump Priming would be £32.00 short of revenue.", "In all, the budget would be £0.07 short of revenue."],
            outlook.Shortfalls());
        Assert.Empty(outlook.WithoutLine);
    }

    [Fact]
    public void A_recommendation_with_no_line_counts_against_the_total_only()
    {
        var outlook = BudgetOutlook.IfAllAgreed(Table1,
        [
            new("top-families", "Top Families", new Funding(50_903.27m, 0m), null),
            new("elsewhere", "From another fund's line", new Funding(0m, 1m), "other-fund-line"),
        ]);

        Assert.All(outlook.Lines, l => Assert.Equal(l.Now, l.After));
        Assert.Equal(["top-families", "elsewhere"], outlook.WithoutLine.Select(p => p.BidId));
        Assert.Equal(new Funding(22_999.93m, 94_138m), outlook.TotalAfter);
        Assert.False(outlook.IsShort);
    }

    [Fact]
    public void Within_the_budget_nothing_is_short()
    {
        var outlook = BudgetOutlook.IfAllAgreed(Table1, [new("summits", "Supporting the partnership", new Funding(15_000m, 0m), "pump-priming")]);

        Assert.False(outlook.IsShort);
        Assert.Empty(outlook.Shortfalls());
        Assert.Equal(new Funding(7_968m, 0m), outlook.Lines[0].After);
    }

    private static BudgetLine Line(string id, string name, Funding total) =>
        new(id, "fund", name, name[..7], total, [], ImmutableDictionary<string, Funding>.Empty);
}

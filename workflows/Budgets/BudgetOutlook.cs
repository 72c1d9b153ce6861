namespace Partnership.Workflows.Budgets;

/// <summary>An allocation a body has recommended but not yet agreed: HCE's recommendation waiting for the Board.</summary>
public sealed record PendingAllocation(string BidId, string Title, Funding Amount, string? LineId);

/// <summary>One budget line as it stands now and as it would stand if every pending allocation proposed on it were agreed.</summary>
public sealed record LineOutlook(BudgetLine Line, Funding Now, Funding Asked)
{
    public Funding After => new(Now.Revenue - Asked.Revenue, Now.Capital - Asked.Capital);

    /// <summary>How far below nothing the line would go, revenue and capital apart; zero where it would not.</summary>
    public Funding Shortfall => new(Math.Max(0m, -After.Revenue), Math.Max(0m, -After.Capital));

    public bool IsShort => Shortfall.Total > 0m;
}

/// <summary>
/// Table 1 as it would stand if the Board agreed every pending allocation. An allocation with no line proposed (or
/// a line outside these) cannot be put on a line, so it counts only against the total, where a shortfall still shows.
/// </summary>
public sealed record BudgetOutlook(IReadOnlyList<LineOutlook> Lines, IReadOnlyList<PendingAllocation> Pending, IReadOnlyList<PendingAllocation> WithoutLine)
{
    public Funding TotalNow => Lines.Aggregate(Funding.Zero, (sum, l) => sum + l.Now);

    public Funding TotalAsked => Pending.Aggregate(Funding.Zero, (sum, p) => sum + p.Amount);

    public Funding TotalAfter => new(TotalNow.Revenue - TotalAsked.Revenue, TotalNow.Capital - TotalAsked.Capital);

    public Funding TotalShortfall => new(Math.Max(0m, -TotalAfter.Revenue), Math.Max(0m, -TotalAfter.Capital));

    public IEnumerable<LineOutlook> ShortLines => Lines.Where(l => l.IsShort);

    public bool IsShort => TotalShortfall.Total > 0m || ShortLines.Any();

    /// <summary>A sentence per line that would be short, then the total's, to the penny, as the paper prints them.</summary>
    public IReadOnlyList<string> Shortfalls() =>
    [
        .. ShortLines.Select(l => $"{l.Line.Name} would be {Short(l.Shortfall)}."),
        .. TotalShortfall.Total > 0m ? [$"In all, the budget would be {Short(TotalShortfall)}."] : Array.Empty<string>(),
    ];

    public static BudgetOutlook IfAllAgreed(IEnumerable<BudgetLine> lines, IEnumerable<PendingAllocation> pending)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(pending);
        var all = pending.ToList();
        var outlooks = lines.Select(line => new LineOutlook(
            line,
            line.Unallocated,
            all.Where(p => p.LineId == line.Id).Aggregate(Funding.Zero, (sum, p) => sum + p.Amount))).ToList();
        var known = outlooks.Select(o => o.Line.Id).ToHashSet(StringComparer.Ordinal);
        return new BudgetOutlook(outlooks, all, [.. all.Where(p => p.LineId is null || !known.Contains(p.LineId))]);
    }

    private static string Short(Funding shortfall) => string.Join(
        " and ",
        new[] { (shortfall.Revenue, "revenue"), (shortfall.Capital, "capital") }
            .Where(x => x.Item1 > 0m)
            .Select(x => $"{Money.Pounds(x.Item1)} short of {x.Item2}"));
}

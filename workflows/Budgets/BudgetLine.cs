using System.Collections.Immutable;

namespace Partnership.Workflows.Budgets;

/// <summary>A ring-fenced amount within a budget line, such as the £60,000 capital held for community premises.</summary>
public sealed record SetAside(string Purpose, Funding Amount);

/// <summary>
/// A budget line for one financial year: its revenue and capital totals, what is set aside, and what each bid has
/// been allocated. Unallocated = total - allocated - set aside, for revenue and capital apart, and never below zero.
/// </summary>
public sealed record BudgetLine(
    string Id,
    string FundId,
    string Name,
    string FinancialYear,
    Funding Total,
    ImmutableList<SetAside> SetAsides,
    ImmutableDictionary<string, Funding> Allocations)
{
    public Funding SetAsideTotal => SetAsides.Aggregate(Funding.Zero, (sum, s) => sum + s.Amount);

    public Funding Allocated => Allocations.Values.Aggregate(Funding.Zero, (sum, a) => sum + a);

    public Funding Unallocated => new(
        Total.Revenue - Allocated.Revenue - SetAsideTotal.Revenue,
        Total.Capital - Allocated.Capital - SetAsideTotal.Capital);

    public Funding AllocatedTo(string bidId) => Allocations.GetValueOrDefault(bidId, Funding.Zero);

    /// <summary>
    /// Changes one bid's allocation by <paramref name="change"/> (positive takes from the line, negative gives back).
    /// Refuses, naming the shortfall to the penny, if the line would go below zero; refuses to give back more than
    /// the bid holds.
    /// </summary>
    public BudgetOutcome Adjust(string bidId, Funding change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!Funding.IsPenceExact(change.Revenue) || !Funding.IsPenceExact(change.Capital))
        {
            return new BudgetRefused("Budget changes are in whole pence.");
        }

        var held = AllocatedTo(bidId);
        var after = new Funding(held.Revenue + change.Revenue, held.Capital + change.Capital);
        if (after.Revenue < 0m || after.Capital < 0m)
        {
            return new BudgetRefused($"The bid holds {Money.Pounds(held.Revenue)} revenue and {Money.Pounds(held.Capital)} capital on {Name}; it cannot give back more than that.");
        }

        var unallocated = Unallocated;
        var problems = new List<string>();
        foreach (var (kind, asked, left) in new[] { ("revenue", change.Revenue, unallocated.Revenue), ("capital", change.Capital, unallocated.Capital) })
        {
            if (asked > left)
            {
                problems.Add($"{Money.Pounds(asked - left)} short of {kind}: {Money.Pounds(left)} unallocated against {Money.Pounds(asked)} asked");
            }
        }

        if (problems.Count > 0)
        {
            return new BudgetRefused($"{Name} is {string.Join(", and ", problems)}.");
        }

        var allocations = after.Total == 0m ? Allocations.Remove(bidId) : Allocations.SetItem(bidId, after);
        return new BudgetAdjusted(this with { Allocations = allocations });
    }
}

public abstract record BudgetOutcome;

public sealed record BudgetAdjusted(BudgetLine Line) : BudgetOutcome;

public sealed record BudgetRefused(string Reason) : BudgetOutcome;

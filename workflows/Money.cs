namespace Partnership.Workflows;

/// <summary>
/// An amount split into revenue and capital, as every budget line and award in the board papers is.
/// Amounts are pounds as <see cref="decimal"/>, never more precise than a penny.
/// </summary>
public sealed record Funding(decimal Revenue, decimal Capital)
{
    public static Funding Zero { get; } = new(0m, 0m);

    public decimal Total => Revenue + Capital;

    public static bool IsPenceExact(decimal amount) => decimal.Round(amount, 2) == amount;

    /// <summary>Why this cannot be an amount of money, or null when it can.</summary>
    public string? Problem(string what)
    {
        if (Revenue < 0m || Capital < 0m)
        {
            return $"{what} cannot be negative.";
        }

        if (!IsPenceExact(Revenue) || !IsPenceExact(Capital))
        {
            return $"{what} must be in whole pence.";
        }

        return Total == 0m ? $"{what} must be more than £0.00." : null;
    }

    public static Funding operator +(Funding left, Funding right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.Revenue + right.Revenue, left.Capital + right.Capital);
    }

    public static Funding Add(Funding left, Funding right) => left + right;
}

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

    /// <summary>Whether both parts are amounts this system can hold: not negative, whole pence, within <see cref="Money.Ceiling"/>.</summary>
    public bool IsWithinCeiling() => Money.IsWithinCeiling(Revenue) && Money.IsWithinCeiling(Capital);

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

        if (!IsWithinCeiling())
        {
            return $"{what} can be at most {Money.Pounds(Money.Ceiling)} of revenue and of capital.";
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

/// <summary>The bounds every amount of money in the system keeps to.</summary>
public static class Money
{
    /// <summary>
    /// No grant, budget line or payment of a local partnership comes near this; anything larger is a mistake, and
    /// keeping every stored amount below it means no total the views add up can overflow.
    /// </summary>
    public const decimal Ceiling = 100_000_000m;

    private static readonly System.Globalization.CultureInfo British = System.Globalization.CultureInfo.GetCultureInfo("en-GB");

    public static bool IsWithinCeiling(decimal amount) => amount is >= -Ceiling and <= Ceiling;

    /// <summary>An amount that can be asked for, awarded or paid: not negative, whole pence, within the ceiling.</summary>
    public static bool IsAmount(decimal amount) => amount is >= 0m and <= Ceiling && Funding.IsPenceExact(amount);

    public static string Pounds(decimal amount) => amount.ToString("C2", British);
}

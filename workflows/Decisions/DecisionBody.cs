using System.Collections.Immutable;

namespace Partnership.Workflows.Decisions;

/// <summary>The two bodies that decide on a bid: HCE (senior officers) recommends, the Partnership Board decides.</summary>
public enum BodyKind
{
    Hce,
    Board,
}

/// <summary>Which body decides while a bid waits in a stage, and the stage a body's decisions wait in.</summary>
public static class DecidingStages
{
    public static BodyKind? BodyIn(Bids.BidStage stage) => stage switch
    {
        Bids.BidStage.HceRecommendation => BodyKind.Hce,
        Bids.BidStage.BoardApproval => BodyKind.Board,
        _ => null,
    };

    public static Bids.BidStage StageOf(BodyKind kind) => kind == BodyKind.Hce ? Bids.BidStage.HceRecommendation : Bids.BidStage.BoardApproval;
}

/// <summary>A share of a body's members, like "a third": kept as a fraction so that no rounding of a decimal share moves a threshold.</summary>
public sealed record Share(int Numerator, int Denominator)
{
    public static Share Third { get; } = new(1, 3);

    public static Share Half { get; } = new(1, 2);

    public string? Problem(string what) =>
        Denominator is < 1 or > 100 || Numerator < 0 || Numerator > Denominator ? $"{what} is a share of the members between none and all of them, like 1 in 3." : null;

    /// <summary>The fewest of <paramref name="count"/> that make up at least this share.</summary>
    public int AtLeastOf(int count) => (int)Math.Ceiling(count * (decimal)Numerator / Denominator);

    /// <summary>The fewest of <paramref name="count"/> that make up more than this share (a majority, for a half).</summary>
    public int MoreThanOf(int count) => count * Numerator / Denominator + 1;

    public override string ToString() => $"{Numerator} in {Denominator}";
}

/// <summary>
/// A body's standing orders, kept as fund settings: how many make a meeting quorate, what carries a written procedure
/// between meetings, and how far the chair may act alone (reported to the next meeting).
/// </summary>
public sealed record BodyRules(Share Quorum, int QuorumMinimum, Share WrittenMajority, int WrittenMinimumAgreeing, decimal? ChairsActionLimit)
{
    /// <summary>A third of the members and at least three; more than half of those eligible agreeing, at least two, none objecting; no chair's action.</summary>
    public static BodyRules Defaults { get; } = new(Share.Third, 3, Share.Half, 2, null);

    public string? Problem() =>
        Quorum.Problem("The quorum")
        ?? (QuorumMinimum is < 2 or > 50 ? "A quorum is at least 2 members and at most 50." : null)
        ?? WrittenMajority.Problem("The share agreeing")
        ?? (WrittenMajority.Numerator * 2 < WrittenMajority.Denominator ? "A written procedure needs more than half of the eligible members agreeing, or a larger share." : null)
        // One person agreeing is one person deciding, which a body never does outside the chair's action.
        ?? (WrittenMinimumAgreeing is < 2 or > 50 ? "A written procedure needs at least 2 members agreeing, and at most 50." : null)
        ?? (ChairsActionLimit is { } limit && (limit <= 0m || !Funding.IsPenceExact(limit) || !Money.IsWithinCeiling(limit))
            ? "The chair's limit is an amount in whole pence more than £0.00, or none." : null);
}

/// <summary>HCE or the Board for one fund: its members (people in the directory), its chair and vice-chair, and its rules.</summary>
public sealed record DecisionBody(BodyKind Kind, ImmutableArray<string> Members, string? Chair, string? ViceChair, BodyRules Rules)
{
    public string Name => Kind == BodyKind.Hce ? "HCE" : "the Partnership Board";

    /// <summary>The name as a sentence starts with it.</summary>
    public string Title => Kind == BodyKind.Hce ? "HCE" : "The Partnership Board";

    public bool HasMember(string userId) => Members.Contains(userId, StringComparer.Ordinal);

    public string? Problem()
    {
        if (Members.IsDefaultOrEmpty || Members.Distinct(StringComparer.Ordinal).Count() != Members.Length)
        {
            return $"Name each member of {Name} once.";
        }

        if (Chair is { } chair && !HasMember(chair) || ViceChair is { } vice && !HasMember(vice))
        {
            return $"The chair and vice-chair must be members of {Name}.";
        }

        if (Chair is not null && Chair == ViceChair)
        {
            return "The chair and the vice-chair must be different people.";
        }

        if (Rules.QuorumMinimum > Members.Length)
        {
            return $"{Title} has {Members.Length} members, fewer than its quorum of {Rules.QuorumMinimum}.";
        }

        return Rules.ChairsActionLimit is not null && Chair is null ? "A chair may act alone only when the body has a chair." : Rules.Problem();
    }

    /// <summary>
    /// Who takes the chair for an item: the chair, or the vice-chair when the chair has an interest in it; nobody when
    /// both do.
    /// </summary>
    public string? ChairFor(IReadOnlySet<string> interested) =>
        Chair is { } chair && !interested.Contains(chair) ? chair
        : ViceChair is { } vice && !interested.Contains(vice) ? vice
        : null;

    /// <summary>Why this member may not act alone for the body on an item of this amount, or null when the standing orders allow it.</summary>
    public string? ChairsActionProblem(string userId, Funding amount, IReadOnlySet<string> interested)
    {
        ArgumentNullException.ThrowIfNull(amount);
        if (Rules.ChairsActionLimit is not { } limit)
        {
            return $"{Title}'s chair may not act alone on this fund; the members decide.";
        }

        if (ChairFor(interested) != userId)
        {
            return $"Only the chair of {Name} (or the vice-chair, when the chair has an interest) may act alone.";
        }

        return amount.Total > limit ? $"The chair may act alone only up to {Money.Pounds(limit)}; this is {Money.Pounds(amount.Total)}, so the members decide." : null;
    }
}

/// <summary>Whether a meeting can decide an item: members with an interest in it do not count towards the quorum.</summary>
public sealed record QuorumCheck(int Required, ImmutableArray<string> Counted, ImmutableArray<string> CountedOut)
{
    public bool IsQuorate => Counted.Length >= Required;

    public static QuorumCheck Of(DecisionBody body, IEnumerable<string> attending, IReadOnlySet<string> interested)
    {
        ArgumentNullException.ThrowIfNull(body);
        var present = attending.Where(body.HasMember).Distinct(StringComparer.Ordinal).ToList();
        var required = Math.Max(body.Rules.QuorumMinimum, body.Rules.Quorum.AtLeastOf(body.Members.Length));
        return new(required, [.. present.Where(m => !interested.Contains(m))], [.. present.Where(interested.Contains)]);
    }
}

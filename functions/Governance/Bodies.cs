using System.Collections.Immutable;
using Partnership.Functions.Funds;
using Partnership.Functions.Identity;
using Partnership.Workflows;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Governance;

/// <summary>A fund's HCE or Board as it stands: named by a coordinator, or else everyone in the directory with the body's role.</summary>
public static class Bodies
{
    public static Role RoleOf(BodyKind kind) => kind == BodyKind.Hce ? Role.HceMember : Role.BoardMember;

    public static DecisionBody Of(Fund fund, BodyKind kind, IEnumerable<AppUser> directory)
    {
        ArgumentNullException.ThrowIfNull(fund);
        if (fund.Bodies.TryGetValue(kind, out var named))
        {
            return named;
        }

        var members = directory.Where(u => u.Role == RoleOf(kind)).OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
        var chair = members.FirstOrDefault(u => u.IsChair)?.Id;
        return new DecisionBody(kind, [.. members.Select(m => m.Id)], chair, null, BodyRules.Defaults with { QuorumMinimum = Math.Clamp(members.Count, 2, BodyRules.Defaults.QuorumMinimum) });
    }

    /// <summary>Why these people cannot make up the body, or null: each must be in the directory with the body's role.</summary>
    public static string? MembershipProblem(DecisionBody body, IEnumerable<AppUser> directory)
    {
        ArgumentNullException.ThrowIfNull(body);
        var known = directory.Where(u => u.Role == RoleOf(body.Kind)).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        return body.Members.FirstOrDefault(m => !known.Contains(m)) is { } stranger
            ? $"'{stranger}' is not in the directory as {(body.Kind == BodyKind.Hce ? "an HCE member" : "a Board member")}."
            : body.Problem();
    }

    public static BodyKind? Parse(string body) => body switch
    {
        "hce" => BodyKind.Hce,
        "board" => BodyKind.Board,
        _ => null,
    };

    public static string Slug(BodyKind kind) => kind == BodyKind.Hce ? "hce" : "board";

    public static ImmutableArray<BodyKind> Kinds { get; } = [BodyKind.Hce, BodyKind.Board];
}

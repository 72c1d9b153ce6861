using Partnership.Functions.Http;
using Partnership.Workflows;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Governance;

public sealed record ShareRequest(int? Numerator, int? Denominator);

/// <summary>HCE or the Board as a coordinator names it: members from the directory, chair and vice-chair, and its standing orders.</summary>
public sealed record BodyRequest(
    IReadOnlyList<string>? Members,
    string? Chair,
    string? ViceChair,
    ShareRequest? Quorum,
    int? QuorumMinimum,
    ShareRequest? WrittenMajority,
    int? WrittenMinimumAgreeing,
    decimal? ChairsActionLimit)
{
    public DecisionBody? ToBody(BodyKind kind, out Dictionary<string, string[]> errors)
    {
        errors = [];
        RequestRules.Require(errors, nameof(Members), Members is not { Count: > 0 }, "Choose the members.");
        RequestRules.Count(errors, nameof(Members), Members, 50);
        RequestRules.Require(errors, nameof(Members), Members?.Any(m => m is null || !Ids.IsSafe(m)) == true, Ids.Rule);
        RequestRules.Id(errors, nameof(Chair), Blank(Chair));
        RequestRules.Id(errors, nameof(ViceChair), Blank(ViceChair));
        RequestRules.Require(errors, nameof(Quorum), Quorum is not { Numerator: not null, Denominator: not null }, "Give the quorum as a share of the members, like 1 in 3.");
        RequestRules.Require(errors, nameof(QuorumMinimum), QuorumMinimum is null, "Give the fewest members that make a meeting quorate.");
        RequestRules.Require(errors, nameof(WrittenMajority), WrittenMajority is not { Numerator: not null, Denominator: not null }, "Give the share of eligible members who must agree in writing, like more than 1 in 2.");
        RequestRules.Require(errors, nameof(WrittenMinimumAgreeing), WrittenMinimumAgreeing is null, "Give the fewest members who must agree in writing.");
        RequestRules.Amount(errors, nameof(ChairsActionLimit), ChairsActionLimit);
        if (errors.Count > 0)
        {
            return null;
        }

        var body = new DecisionBody(
            kind, [.. Members!], Blank(Chair), Blank(ViceChair),
            new BodyRules(new Share(Quorum!.Numerator!.Value, Quorum.Denominator!.Value), QuorumMinimum!.Value, new Share(WrittenMajority!.Numerator!.Value, WrittenMajority.Denominator!.Value), WrittenMinimumAgreeing!.Value, ChairsActionLimit));
        if (body.Problem() is { } problem)
        {
            errors[nameof(Members)] = [problem];
            return null;
        }

        return body;
    }

    private static string? Blank(string? id) => string.IsNullOrWhiteSpace(id) ? null : id.Trim();
}

/// <summary>One entry for a member's register: the organisation by org-id and name, what the interest is, and from when to when.</summary>
public sealed record InterestRequest(string? OrganisationId, string? OrganisationName, string? Nature, DateOnly? From, DateOnly? Until)
{
    public Interest? ToInterest(out Dictionary<string, string[]> errors)
    {
        errors = [];
        RequestRules.Require(errors, nameof(OrganisationId), string.IsNullOrWhiteSpace(OrganisationId) || !Ids.IsSafe(OrganisationId.Trim()), "Give the organisation's org-id, like GB-CHC-1234567.");
        RequestRules.Require(errors, nameof(OrganisationName), string.IsNullOrWhiteSpace(OrganisationName), "Give the organisation's name.");
        RequestRules.Length(errors, nameof(OrganisationName), OrganisationName, 200);
        RequestRules.Require(errors, nameof(Nature), string.IsNullOrWhiteSpace(Nature), "Say what the interest is, like a trustee or an employee.");
        RequestRules.Length(errors, nameof(Nature), Nature, 500);
        RequestRules.Require(errors, nameof(From), From is null, "Give the date the interest began.");
        RequestRules.Date(errors, nameof(From), From);
        RequestRules.Date(errors, nameof(Until), Until);
        RequestRules.Require(errors, nameof(Until), Until < From, "An interest ends on or after the day it began.");
        return errors.Count > 0 ? null : new Interest(OrganisationId!.Trim(), OrganisationName!.Trim(), Nature!.Trim(), From!.Value, Until);
    }
}

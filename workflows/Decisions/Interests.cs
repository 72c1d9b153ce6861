using System.Collections.Immutable;

namespace Partnership.Workflows.Decisions;

/// <summary>One entry in a member's register: an organisation (by its org-id), the nature of the interest and when it held.</summary>
public sealed record Interest(string OrganisationId, string OrganisationName, string Nature, DateOnly From, DateOnly? Until = null)
{
    public bool HoldsOn(DateOnly day) => From <= day && (Until is null || day <= Until);

    public string? Problem() =>
        string.IsNullOrWhiteSpace(OrganisationId) || string.IsNullOrWhiteSpace(OrganisationName) ? "Name the organisation and give its org-id, like GB-CHC-1234567."
        : string.IsNullOrWhiteSpace(Nature) || Nature.Length > 500 ? "Say what the interest is (a trustee, an employee, a relative who works there), in at most 500 characters."
        : Until < From ? "An interest ends on or after the day it began."
        : null;
}

/// <summary>
/// What a member of HCE or the Board has declared they have an interest in, and when they last reviewed it: members
/// are asked to review it every year.
/// </summary>
public sealed record InterestRegister(string UserId, ImmutableArray<Interest> Interests, DateOnly? ReviewedOn)
{
    public static InterestRegister Empty(string userId) => new(userId, [], null);

    public Interest? In(string organisationId, DateOnly on) =>
        Interests.FirstOrDefault(i => string.Equals(i.OrganisationId, organisationId, StringComparison.OrdinalIgnoreCase) && i.HoldsOn(on));

    public bool ReviewDue(DateOnly today) => ReviewedOn is not { } reviewed || reviewed.AddYears(1) <= today;
}

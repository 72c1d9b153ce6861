namespace Partnership.Workflows;

/// <summary>The roles a person can hold; <see cref="System"/> is the workflow acting on its own timers.</summary>
public enum Role
{
    Applicant,
    Coordinator,
    HceMember,
    BoardMember,
    FinanceOfficer,
    Auditor,

    /// <summary>A partner officer who reports one or more of the partnership's outcome measures; not staff: they read no bids.</summary>
    OutcomeLead,
    System,
}

/// <summary>Who a notification is for; resolved to people by the adapters, never by the workflow.</summary>
public enum Audience
{
    Applicant,
    Coordinators,
    HceMembers,
    BoardMembers,
    BoardChair,
    FinanceOfficers,
}

/// <summary>The person (or the system) issuing a command. Applicants act for exactly one organisation.</summary>
public sealed record Actor(string UserId, Role Role, string? OrganisationId = null)
{
    public static Actor System { get; } = new("system", Role.System);

    public bool IsStaff => Role is Role.Coordinator or Role.HceMember or Role.BoardMember or Role.FinanceOfficer or Role.Auditor;
}

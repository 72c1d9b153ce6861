using Partnership.Workflows;

namespace Partnership.Functions.Identity;

/// <summary>The role sets endpoints declare; each route group names one, so who may call what is read in one place.</summary>
public static class RoleGroups
{
    public static readonly Role[] Everyone = [Role.Applicant, Role.Coordinator, Role.HceMember, Role.BoardMember, Role.FinanceOfficer, Role.Auditor];
    public static readonly Role[] Staff = [Role.Coordinator, Role.HceMember, Role.BoardMember, Role.FinanceOfficer, Role.Auditor];
    public static readonly Role[] Applicants = [Role.Applicant];
    public static readonly Role[] Coordinators = [Role.Coordinator];
    public static readonly Role[] ApplicantsAndCoordinators = [Role.Applicant, Role.Coordinator];
    public static readonly Role[] HceMembers = [Role.HceMember];
    public static readonly Role[] BoardMembers = [Role.BoardMember];
    public static readonly Role[] FinanceOfficers = [Role.FinanceOfficer];

    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params Role[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireRole(roles.Select(r => r.ToString())));

    /// <summary>Staff read every bid; an applicant reads only their own organisation's.</summary>
    public static bool MayRead(this Actor actor, string organisationId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.IsStaff || (actor.Role == Role.Applicant && actor.OrganisationId == organisationId);
    }
}

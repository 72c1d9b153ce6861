using Partnership.Workflows;

namespace Partnership.Functions.Identity;

/// <summary>
/// The role sets endpoints declare. Command endpoints take theirs from the workflow's transitions; the rest (reads,
/// fund settings, registration) name one here, so who may call what is read in one place.
/// </summary>
public static class RoleGroups
{
    public static readonly Role[] Everyone = [Role.Applicant, Role.Coordinator, Role.HceMember, Role.BoardMember, Role.FinanceOfficer, Role.Auditor, Role.OutcomeLead];
    public static readonly Role[] Staff = [Role.Coordinator, Role.HceMember, Role.BoardMember, Role.FinanceOfficer, Role.Auditor];
    public static readonly Role[] Applicants = [Role.Applicant];

    /// <summary>Who reads bids, their documents, funds and organisations: applicants (their own) and staff; not outcome leads.</summary>
    public static readonly Role[] BidReaders = [Role.Applicant, .. Staff];
    public static readonly Role[] Coordinators = [Role.Coordinator];

    /// <summary>Who keeps a register of interests: the members of HCE and the Board.</summary>
    public static readonly Role[] Members = [Role.HceMember, Role.BoardMember];

    /// <summary>Members' registers are read by the coordinators who run the meetings and the auditors who check them.</summary>
    public static readonly Role[] RegisterReaders = [Role.Coordinator, Role.Auditor];

    /// <summary>The outcome framework is the partnership's, reported to the Board: staff read it, and the leads who report it.</summary>
    public static readonly Role[] OutcomeReaders = [.. Staff, Role.OutcomeLead];

    /// <summary><see cref="Staff"/> as an authorization attribute names them.</summary>
    public const string StaffNames = $"{nameof(Role.Coordinator)},{nameof(Role.HceMember)},{nameof(Role.BoardMember)},{nameof(Role.FinanceOfficer)},{nameof(Role.Auditor)}";

    /// <summary><see cref="OutcomeReaders"/> as an authorization attribute names them.</summary>
    public const string OutcomeReaderNames = $"{StaffNames},{nameof(Role.OutcomeLead)}";

    /// <summary>
    /// Lets in the people the bid workflow lets give <paramref name="commands"/>: the roles their transitions declare in
    /// any definition version, so an endpoint's rule is never written twice.
    /// </summary>
    public static TBuilder RequireRolesOf<TBuilder>(this TBuilder builder, params Type[] commands)
        where TBuilder : IEndpointConventionBuilder => builder.RequireRoles(Of(commands));

    public static Role[] Of(params Type[] commands) =>
    [
        .. Partnership.Workflows.Bids.BidWorkflowDefinition.All.SelectMany(d => d.Transitions)
            .Where(t => commands.Contains(t.Command))
            .SelectMany(t => t.Roles)
            .Where(r => r != Role.System)
            .Distinct()
            .Order(),
    ];

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

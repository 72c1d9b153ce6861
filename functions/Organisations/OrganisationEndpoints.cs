using System.Security.Claims;
using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Organisations;

public sealed record RegisterOrganisationRequest(string? Name, string? CharityNumber, string? ContactEmail, string? Address, string? CompanyNumber = null, string? ContactName = null);

public static class OrganisationEndpoints
{
    public static IEndpointRouteBuilder MapOrganisations(this IEndpointRouteBuilder app)
    {
        var organisations = app.MapGroup("/api/organisations").WithTags("Organisations");

        organisations.MapGet("", async (OrganisationStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)))
            .RequireRoles(RoleGroups.Staff).WithName("ListOrganisations");
        organisations.MapGet("/{organisationId}", async (string organisationId, ClaimsPrincipal user, OrganisationStore store, CancellationToken ct) =>
            user.Actor().MayRead(organisationId) && await store.FindAsync(organisationId, ct) is { } organisation
                ? Results.Ok(organisation)
                : TypedResults.Problem(statusCode: 404, title: "No such organisation."))
            .RequireRoles(RoleGroups.BidReaders).WithName("GetOrganisation");
        organisations.MapPost("", RegisterAsync).RequireRoles(RoleGroups.Applicants).WithName("RegisterOrganisation");
        return app;
    }

    /// <summary>An applicant registers an organisation, becomes its first member and acts for it; they may belong to others too.</summary>
    private static async Task<IResult> RegisterAsync(RegisterOrganisationRequest request, HttpContext http, OrganisationRegistration registration, CancellationToken ct)
    {
        var key = Problems.IdempotencyKey(http, out var missingKey);
        if (key is null)
        {
            return missingKey!;
        }

        return await registration.RegisterAsync(http.User.Actor(), request, ct) switch
        {
            Registered registered => TypedResults.Created($"/api/organisations/{registered.Organisation.Id}", registered.Organisation),
            RegistrationRefused { Errors: { Count: > 0 } errors } => Problems.Fields(errors),
            RegistrationRefused refused => TypedResults.Problem(statusCode: 409, title: refused.Title, detail: refused.Detail),
            _ => throw new InvalidOperationException("Unknown registration outcome."),
        };
    }
}

/// <summary>What registering came to: the organisation, or why not (field by field, or as a whole).</summary>
public abstract record RegistrationOutcome;

public sealed record Registered(Organisation Organisation) : RegistrationOutcome;

public sealed record RegistrationRefused(Dictionary<string, string[]> Errors, string Title = "", string Detail = "") : RegistrationOutcome;

/// <summary>
/// Registering an organisation: its registered number checked and made its org-id, its contact, and the applicant who
/// registers it made its first member.
/// </summary>
public sealed class OrganisationRegistration(OrganisationStore store, UserDirectory users)
{
    public async Task<RegistrationOutcome> RegisterAsync(Actor actor, RegisterOrganisationRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
        {
            errors[nameof(request.Name)] = ["Enter the organisation's name, up to 200 characters."];
        }

        var organisationId = OrganisationIds.From(request.CharityNumber, request.CompanyNumber, out var numberProblems);
        foreach (var (field, problem) in numberProblems)
        {
            errors[field] = [problem];
        }

        if (string.IsNullOrWhiteSpace(request.ContactName) || request.ContactName.Trim().Length > 200)
        {
            errors[nameof(request.ContactName)] = ["Enter the name of the person we should write to, up to 200 characters."];
        }

        if (string.IsNullOrWhiteSpace(request.ContactEmail) || !BusinessCaseRules.IsEmail(request.ContactEmail))
        {
            errors[nameof(request.ContactEmail)] = ["Enter an email address in the correct format, like office@example.org."];
        }

        RequestRules.Length(errors, nameof(request.Address), request.Address, 500);
        if (errors.Count > 0)
        {
            return new RegistrationRefused(errors);
        }

        var user = await users.FindAsync(actor.UserId, ct);
        if (user is null)
        {
            return new RegistrationRefused([], "You are not signed in as an applicant.", "Sign in again, then register the organisation.");
        }

        if (user.Memberships.Contains(organisationId!, StringComparer.Ordinal) && await store.FindAsync(organisationId!, ct) is { } mine)
        {
            await users.ActForAsync(user.Id, mine.Id, ct);
            return new Registered(mine);
        }

        var organisation = new Organisation(organisationId!, request.Name!.Trim(), Blank(request.CharityNumber), request.ContactEmail!.Trim(), Blank(request.Address))
        {
            CompanyNumber = Blank(request.CompanyNumber),
            ContactName = request.ContactName!.Trim(),
        };
        if (await store.TryAddAsync(organisation, ct) is null)
        {
            return new RegistrationRefused([], "This organisation is registered already.",
                $"{organisationId} is already registered here. Ask the person who registered it to invite you.");
        }

        await users.JoinAsync(user.Id, organisation.Id, actForIt: true, ct);
        return new Registered(organisation);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>
/// An organisation's people: who acts for it, and inviting a colleague, who becomes a member at once and is told by
/// email (the local outbox when offline) how to sign in. A colleague who already acts for another organisation keeps
/// it and gains this one, and chooses which they act for.
/// </summary>
public sealed class OrganisationMembers(UserDirectory users, OrganisationStore organisations, Notifications.IEmailChannel email, Notifications.MessageLog log, Notifications.MessageRenderer renderer, Microsoft.Extensions.Options.IOptions<Decisions.DecisionLinkOptions> site)
{
    public async Task<IReadOnlyList<AppUser>> ListAsync(string organisationId, CancellationToken ct) =>
        [.. (await users.ListAsync(ct)).Where(u => u.Memberships.Contains(organisationId, StringComparer.Ordinal))];

    /// <summary>Adds the colleague and sends the invitation; field errors in words, or none.</summary>
    public async Task<Dictionary<string, string[]>> InviteAsync(Actor inviter, string? name, string? address, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(inviter);
        var errors = new Dictionary<string, string[]>();
        var displayName = name?.Trim() ?? "";
        var emailAddress = address?.Trim() ?? "";
        if (displayName.Length is 0 or > 200)
        {
            errors["name"] = ["Enter your colleague's name, up to 200 characters."];
        }

        if (!BusinessCaseRules.IsEmail(emailAddress))
        {
            errors["email"] = ["Enter an email address in the correct format, like name@example.org."];
        }

        if (errors.Count > 0 || inviter.OrganisationId is not { } organisationId || await organisations.FindAsync(organisationId, ct) is not { } organisation)
        {
            return errors.Count > 0 ? errors : new() { ["name"] = ["Register your organisation before inviting colleagues."] };
        }

        var existing = await users.FindByEmailAsync(emailAddress, ct);
        if (existing is not null && (existing.Role != Role.Applicant || existing.Memberships.Contains(organisationId, StringComparer.Ordinal)))
        {
            errors["email"] = [existing.Role != Role.Applicant
                ? "This is the address of one of the partnership's staff, who cannot act for an applicant organisation."
                : $"{existing.DisplayName} is already one of {organisation.Name}'s people."];
            return errors;
        }

        var userId = existing?.Id ?? UserDirectory.ApplicantIdFor(emailAddress);
        emailAddress = existing?.Email ?? emailAddress;
        if (existing is null)
        {
            await users.AddIfAbsentAsync(new AppUser(userId, displayName, emailAddress, Role.Applicant, organisationId), ct);
        }
        else
        {
            await users.JoinAsync(userId, organisationId, actForIt: false, ct);
        }

        var who = (await users.FindAsync(inviter.UserId, ct))?.DisplayName ?? "A colleague";
        var message = await renderer.RenderInvitationAsync(existing?.DisplayName ?? displayName, who, organisation.Name, $"{site.Value.BaseUrl.TrimEnd('/')}/sign-in", alreadyMember: existing is not null);
        Notifications.ChannelResult sent;
        try
        {
            sent = await email.SendAsync(new Notifications.EmailMessage(emailAddress, displayName, message.Subject, message.Text, message.Html, null, new Dictionary<string, string> { ["template"] = "invitation" }), ct);
        }
        catch (HttpRequestException e)
        {
            // The colleague is a member either way; the coordinators' dashboard lists the email as not delivered.
            sent = new Notifications.ChannelResult(false, $"Not sent: {e.Message}");
        }

        await log.RecordLooseAsync($"invite|{organisationId}|{userId}", emailAddress, "invitation", message.Subject, message.Text, message.Html, "email", sent.Delivered ? Notifications.MessageLog.Sent : Notifications.MessageLog.Failed, sent.Detail, ct);
        return errors;
    }
}

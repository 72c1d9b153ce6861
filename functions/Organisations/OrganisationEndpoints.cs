using System.Net.Mail;
using System.Security.Claims;
using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Functions.Workflow;
using Partnership.Workflows;

namespace Partnership.Functions.Organisations;

public sealed record RegisterOrganisationRequest(string? Name, string? CharityNumber, string? ContactEmail, string? Address);

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
            .RequireRoles(RoleGroups.Everyone).WithName("GetOrganisation");
        organisations.MapPost("", RegisterAsync).RequireRoles(RoleGroups.Applicants).WithName("RegisterOrganisation");
        return app;
    }

    /// <summary>An applicant registers the organisation they act for; they can belong to one.</summary>
    private static async Task<IResult> RegisterAsync(RegisterOrganisationRequest request, HttpContext http, OrganisationStore store, UserDirectory users, CancellationToken ct)
    {
        var key = Problems.IdempotencyKey(http, out var missingKey);
        if (key is null)
        {
            return missingKey!;
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 200)
        {
            errors[nameof(request.Name)] = ["Give the organisation's name (up to 200 characters)."];
        }

        if (!MailAddress.TryCreate(request.ContactEmail, out _))
        {
            errors[nameof(request.ContactEmail)] = ["Give an email address we can write to."];
        }

        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var actor = http.User.Actor();
        var user = await users.FindAsync(actor.UserId, ct);
        var organisationId = $"org-{BidCommandService.NewBidId(actor.UserId, key)[..12]}";
        if (user is null || (user.OrganisationId is not null && user.OrganisationId != organisationId))
        {
            return TypedResults.Problem(statusCode: 409, title: "You already act for an organisation.", detail: "Each applicant acts for one organisation.");
        }

        var organisation = await store.AddAsync(new Organisation(organisationId, request.Name!.Trim(), request.CharityNumber?.Trim(), request.ContactEmail!.Trim(), request.Address?.Trim()), ct);
        await users.SaveAsync(user with { OrganisationId = organisation.Id }, ct);
        return TypedResults.Created($"/api/organisations/{organisation.Id}", organisation);
    }
}

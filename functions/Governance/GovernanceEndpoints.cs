using Microsoft.AspNetCore.Http.HttpResults;
using Partnership.Functions.Funds;
using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Workflows;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Governance;

public sealed record BodyMemberView(string UserId, string Name, bool Chair, bool ViceChair);

/// <summary>A body as it stands, and whether a coordinator named it or it is everyone with its role.</summary>
public sealed record BodyView(BodyKind Kind, string Name, bool Named, IReadOnlyList<BodyMemberView> Members, BodyRules Rules)
{
    public static BodyView Of(Fund fund, DecisionBody body, IReadOnlyList<AppUser> directory)
    {
        ArgumentNullException.ThrowIfNull(fund);
        ArgumentNullException.ThrowIfNull(body);
        var names = directory.ToDictionary(u => u.Id, u => u.DisplayName, StringComparer.Ordinal);
        return new(body.Kind, body.Title, fund.Bodies.ContainsKey(body.Kind),
            [.. body.Members.Select(m => new BodyMemberView(m, names.GetValueOrDefault(m, m), m == body.Chair, m == body.ViceChair))], body.Rules);
    }
}

/// <summary>Who decides for a fund (its HCE and Board) and what each member has an interest in.</summary>
public static class GovernanceEndpoints
{
    public static IEndpointRouteBuilder MapGovernance(this IEndpointRouteBuilder app)
    {
        var bodies = app.MapGroup("/api/funds/{fundId}/bodies").WithTags("Governance");
        bodies.MapGet("", ListBodiesAsync).RequireRoles(RoleGroups.Staff).WithName("ListBodies");
        bodies.MapPut("/{body}", NameBodyAsync).RequireRoles(RoleGroups.Coordinators).WithName("NameBody");

        app.MapGet("/api/interests", async (InterestStore interests, CancellationToken ct) =>
            TypedResults.Ok(await interests.ListAsync(ct))).RequireRoles(RoleGroups.RegisterReaders).WithTags("Governance").WithName("ListInterests");

        var mine = app.MapGroup("/api/members/me/interests").WithTags("Governance").RequireRoles(RoleGroups.Members);
        mine.MapGet("", async (HttpContext http, InterestStore interests, CancellationToken ct) =>
            TypedResults.Ok((await interests.FindAsync(http.User.Actor().UserId, ct)).Register)).WithName("MyInterests");
        mine.MapPost("", AddInterestAsync).WithName("RegisterInterest");
        mine.MapPost("/reviewed", async (HttpContext http, InterestStore interests, TimeProvider clock, WorkingCalendar calendar, CancellationToken ct) =>
        {
            var userId = http.User.Actor().UserId;
            return await interests.ReviewAsync(userId, calendar.LocalDate(clock.GetUtcNow()), ct) == RegisterChange.Saved
                ? Results.Ok((await interests.FindAsync(userId, ct)).Register)
                : Changed();
        }).WithName("ReviewInterests");
        return app;
    }

    public static ProblemHttpResult Changed() =>
        TypedResults.Problem(statusCode: 409, title: "Your register changed meanwhile.", detail: "It was changed in another window while this was sent. Read it again and make the change again.");

    private static async Task<IResult> ListBodiesAsync(string fundId, FundStore funds, UserDirectory users, CancellationToken ct)
    {
        if (await funds.FindAsync(fundId, ct) is not { } fund)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such fund.");
        }

        var directory = await users.ListAsync(ct);
        return TypedResults.Ok(Bodies.Kinds.Select(k => BodyView.Of(fund, Bodies.Of(fund, k, directory), directory)).ToList());
    }

    private static async Task<IResult> NameBodyAsync(string fundId, string body, BodyRequest request, FundStore funds, UserDirectory users, CancellationToken ct)
    {
        if (Bodies.Parse(body) is not { } kind)
        {
            return Problems.Field(nameof(body), "The bodies are 'hce' and 'board'.");
        }

        if (request.ToBody(kind, out var errors) is not { } named)
        {
            return Problems.Fields(errors);
        }

        var directory = await users.ListAsync(ct);
        if (Bodies.MembershipProblem(named, directory) is { } problem)
        {
            return Problems.Field(nameof(request.Members), problem);
        }

        if (await funds.FindAsync(fundId, ct) is not { } fund)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such fund.");
        }

        var updated = fund with { Bodies = fund.Bodies.SetItem(kind, named) };
        await funds.SaveAsync(updated, ct);
        return TypedResults.Ok(BodyView.Of(updated, named, directory));
    }

    private static async Task<IResult> AddInterestAsync(InterestRequest request, HttpContext http, InterestStore interests, CancellationToken ct)
    {
        if (request.ToInterest(out var errors) is not { } interest)
        {
            return Problems.Fields(errors);
        }

        var userId = http.User.Actor().UserId;
        return await interests.AddAsync(userId, interest, ct) switch
        {
            RegisterChange.Saved => TypedResults.Created("/api/members/me/interests", (await interests.FindAsync(userId, ct)).Register),
            RegisterChange.Full => Problems.Field(nameof(request.OrganisationId), InterestStore.FullMessage),
            _ => Changed(),
        };
    }
}

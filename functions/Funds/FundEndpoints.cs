using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Funds;

public sealed record DeadlineRequest(int? WorkingDays, int? ReminderDaysBefore, int? EscalationDaysAfter, Audience? EscalateTo);

public sealed record BudgetLineView(string Id, string Name, string FinancialYear, Funding Total, IReadOnlyList<SetAside> SetAsides, Funding Unallocated);

public static class FundEndpoints
{
    public static IEndpointRouteBuilder MapFunds(this IEndpointRouteBuilder app)
    {
        var funds = app.MapGroup("/api/funds").WithTags("Funds");

        var readers = funds.MapGroup("").RequireRoles(RoleGroups.Everyone);
        readers.MapGet("", async (FundStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct))).WithName("ListFunds");
        readers.MapGet("/{fundId}", async (string fundId, FundStore store, CancellationToken ct) =>
            await store.FindAsync(fundId, ct) is { } fund
                ? Results.Ok(fund)
                : TypedResults.Problem(statusCode: 404, title: "No such fund.")).WithName("GetFund");

        funds.MapGet("/{fundId}/budget-lines", async (string fundId, FundStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.LinesAsync(fundId, ct)).Select(l => new BudgetLineView(l.Id, l.Name, l.FinancialYear, l.Total, l.SetAsides, l.Unallocated)).ToList()))
            .RequireRoles(RoleGroups.Staff).WithName("ListBudgetLines");

        funds.MapPut("/{fundId}/deadlines/{stage}", SetDeadlineAsync).RequireRoles(RoleGroups.Coordinators).WithName("SetStageDeadline");
        return app;
    }

    /// <summary>Changes a stage's deadline for bids that enter the stage from now on; timers already set keep their dates.</summary>
    private static async Task<IResult> SetDeadlineAsync(string fundId, string stage, DeadlineRequest request, FundStore store, CancellationToken ct)
    {
        if (!Enum.TryParse<BidStage>(stage, ignoreCase: true, out var parsed) || !FundDeadlines.StagesWithDeadlines.Contains(parsed))
        {
            return Problems.Field(nameof(stage), $"Deadlines are set for {string.Join(", ", FundDeadlines.StagesWithDeadlines)}.");
        }

        if (request is not { WorkingDays: { } days, ReminderDaysBefore: { } remind, EscalationDaysAfter: { } escalate, EscalateTo: { } to })
        {
            return Problems.Field("deadline", "Give WorkingDays, ReminderDaysBefore, EscalationDaysAfter and EscalateTo.");
        }

        var deadline = new StageDeadline(days, remind, escalate, to);
        if (deadline.Problem() is { } problem)
        {
            return Problems.Field("deadline", problem);
        }

        if (await store.FindAsync(fundId, ct) is not { } fund)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such fund.");
        }

        var updated = fund with { Deadlines = fund.Deadlines.With(parsed, deadline) };
        await store.SaveAsync(updated, ct);
        return TypedResults.Ok(updated);
    }
}

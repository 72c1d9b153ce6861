using System.Collections.Immutable;
using Partnership.Functions.Budgets;
using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Budgets;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Funds;

public sealed record DeadlineRequest(int? WorkingDays, int? ReminderDaysBefore, int? EscalationDaysAfter, Audience? EscalateTo);

public sealed record BudgetLineView(string Id, string Name, string FinancialYear, Funding Total, IReadOnlyList<SetAside> SetAsides, Funding Allocated, Funding Unallocated)
{
    public static BudgetLineView From(BudgetLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new(line.Id, line.Name, line.FinancialYear, line.Total, line.SetAsides, line.Allocated, line.Unallocated);
    }
}

public sealed record NewBudgetLineRequest(string? Id, string? Name, string? FinancialYear, decimal? Revenue, decimal? Capital, IReadOnlyList<SetAsideRequest>? SetAsides);

public sealed record SetAsideRequest(string? Purpose, decimal? Revenue, decimal? Capital);

public static class FundEndpoints
{
    public static IEndpointRouteBuilder MapFunds(this IEndpointRouteBuilder app)
    {
        var funds = app.MapGroup("/api/funds").WithTags("Funds");

        var readers = funds.MapGroup("").RequireRoles(RoleGroups.BidReaders);
        readers.MapGet("", async (FundStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct))).WithName("ListFunds");
        readers.MapGet("/{fundId}", async (string fundId, FundStore store, CancellationToken ct) =>
            await store.FindAsync(fundId, ct) is { } fund
                ? Results.Ok(fund)
                : TypedResults.Problem(statusCode: 404, title: "No such fund.")).WithName("GetFund");

        funds.MapGet("/{fundId}/budget-lines", async (string fundId, BudgetLedger ledger, CancellationToken ct) =>
            TypedResults.Ok((await ledger.LinesAsync(fundId, ct)).Select(BudgetLineView.From).ToList()))
            .RequireRoles(RoleGroups.Staff).WithName("ListBudgetLines");
        funds.MapPost("/{fundId}/budget-lines", AddLineAsync).RequireRoles(RoleGroups.Coordinators).WithName("AddBudgetLine");

        funds.MapPut("/{fundId}/monitoring", async (string fundId, MonitoringSettings request, FundStore store, CancellationToken ct) =>
        {
            if (request.Problem() is { } problem)
            {
                return Problems.Field("monitoring", problem);
            }

            if (await store.FindAsync(fundId, ct) is not { } fund)
            {
                return TypedResults.Problem(statusCode: 404, title: "No such fund.");
            }

            var updated = fund with { Monitoring = request };
            await store.SaveAsync(updated, ct);
            return Results.Ok(updated);
        }).RequireRoles(RoleGroups.Coordinators).WithName("SetMonitoringCalendar");
        funds.MapPut("/{fundId}/deadlines/{stage}", SetDeadlineAsync).RequireRoles(RoleGroups.Coordinators).WithName("SetStageDeadline");
        return app;
    }

    private static async Task<IResult> AddLineAsync(string fundId, NewBudgetLineRequest request, FundStore funds, BudgetLedger ledger, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        RequestRules.Require(errors, nameof(request.Id), request.Id is null || !System.Text.RegularExpressions.Regex.IsMatch(request.Id, "^[a-z0-9][a-z0-9-]{2,62}$"), "Give the line an id of lower-case letters, digits and hyphens, e.g. 2012-13-laa-reward-grant.");
        RequestRules.Require(errors, nameof(request.Name), string.IsNullOrWhiteSpace(request.Name), "Name the budget line.");
        RequestRules.Require(errors, nameof(request.FinancialYear), request.FinancialYear is null || !System.Text.RegularExpressions.Regex.IsMatch(request.FinancialYear, @"^\d{4}/\d{2}$"), "Give the financial year as 2011/12.");
        RequestRules.Require(errors, nameof(request.Revenue), request.Revenue is not { } r || !Money.IsAmount(r), $"Give the revenue total in pounds and pence, at most {Money.Pounds(Money.Ceiling)} (0 if none).");
        RequestRules.Require(errors, nameof(request.Capital), request.Capital is not { } c || !Money.IsAmount(c), $"Give the capital total in pounds and pence, at most {Money.Pounds(Money.Ceiling)} (0 if none).");
        RequestRules.Require(errors, nameof(request.Name), request.Name?.Length > 200, "Keep the name to 200 characters.");
        RequestRules.Require(errors, nameof(request.SetAsides), request.SetAsides?.Count > 20, "Give at most 20 set-asides.");
        var setAsides = (request.SetAsides ?? []).Select(s => new SetAside(s?.Purpose?.Trim() ?? "", new Funding(s?.Revenue ?? 0m, s?.Capital ?? 0m))).ToImmutableList();
        RequestRules.Require(errors, nameof(request.SetAsides), setAsides.Any(s => s.Purpose.Length == 0 || s.Amount.Problem("A set-aside") is not null), "Each set-aside needs a purpose and an amount in pounds and pence.");
        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        if (await funds.FindAsync(fundId, ct) is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "No such fund.");
        }

        var line = new BudgetLine(request.Id!, fundId, request.Name!.Trim(), request.FinancialYear!, new Funding(request.Revenue!.Value, request.Capital!.Value), setAsides, ImmutableDictionary<string, Funding>.Empty);
        if (line.Unallocated.Revenue < 0 || line.Unallocated.Capital < 0)
        {
            return Problems.Field(nameof(request.SetAsides), "The set-asides come to more than the line holds.");
        }

        // The line's id is the request's own idempotency key: sending the same line again is answered as the first time.
        var stored = await ledger.AddLineAsync(line, ct);
        stored = await ledger.FindAsync(line.Id, ct) ?? stored;
        var same = stored.FundId == line.FundId && stored.Name == line.Name && stored.FinancialYear == line.FinancialYear && stored.Total == line.Total && stored.SetAsides.SequenceEqual(line.SetAsides);
        return same ? TypedResults.Created($"/api/funds/{fundId}/budget-lines", BudgetLineView.From(stored))
            : TypedResults.Problem(statusCode: 409, title: "That budget line exists.", detail: $"There is already a different line '{line.Id}'.");
    }

    /// <summary>Changes a stage's deadline for bids that enter the stage from now on; timers already set keep their dates.</summary>
    private static async Task<IResult> SetDeadlineAsync(string fundId, string stage, DeadlineRequest request, FundStore store, CancellationToken ct)
    {
        if (!RequestRules.TryParseName<BidStage>(stage, out var parsed) || !FundDeadlines.StagesWithDeadlines.Contains(parsed))
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

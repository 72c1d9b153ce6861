using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Reports;

/// <summary>The coordinators' views as JSON, and each as a table to download as CSV or XLSX.</summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports").WithTags("Reports").RequireRoles(RoleGroups.Staff);

        reports.MapGet("/budget-summary", async (string? fundId, ReportBuilder builder, CancellationToken ct) =>
            TypedResults.Ok(await builder.BudgetSummaryAsync(fundId, ct))).WithName("BudgetSummary");
        reports.MapTable("budget-summary", "BudgetSummary", async (string? fundId, ReportBuilder builder, CancellationToken ct) =>
            ReportTables.BudgetSummary(await builder.BudgetSummaryAsync(fundId, ct)));

        reports.MapGet("/spend-monitoring", async (string? fundId, int? year, ReportBuilder builder, CancellationToken ct) =>
            TypedResults.Ok(await builder.SpendMonitoringAsync(fundId, year, ct))).WithName("SpendMonitoring");
        reports.MapTable("spend-monitoring", "SpendMonitoring", async (string? fundId, int? year, ReportBuilder builder, CancellationToken ct) =>
            ReportTables.SpendMonitoring(await builder.SpendMonitoringAsync(fundId, year, ct)));

        reports.MapGet("/contract-status", async (string? fundId, ReportBuilder builder, CancellationToken ct) =>
            TypedResults.Ok(await builder.ContractStatusAsync(fundId, ct))).WithName("ContractStatus");
        reports.MapTable("contract-status", "ContractStatus", async (string? fundId, ReportBuilder builder, CancellationToken ct) =>
            ReportTables.ContractStatus(await builder.ContractStatusAsync(fundId, ct)));

        reports.MapGet("/returns", async (string? fundId, ReportBuilder builder, CancellationToken ct) =>
            TypedResults.Ok(await builder.ReturnsAsync(fundId, ct))).WithName("ReturnsDue");
        reports.MapTable("returns", "ReturnsDue", async (string? fundId, ReportBuilder builder, CancellationToken ct) =>
            ReportTables.Returns(await builder.ReturnsAsync(fundId, ct)));

        reports.MapTable("bids", "Bids", BidsAsync);

        reports.MapTable("sign-ins", "SignIns", async (Identity.SignInAudit audit, CancellationToken ct) =>
            ReportTables.SignIns(await audit.RecentAsync(ReportTables.SignInRows, ct)), Role.Auditor);
        reports.MapTable("purchase-orders", "PurchaseOrders", async (ReportBuilder builder, Organisations.OrganisationStore organisations, CancellationToken ct) =>
            ReportTables.PurchaseOrders(await builder.FinanceAsync(ct), await NamesAsync(organisations, ct)), FinanceReaders);
        reports.MapTable("instalments", "Instalments", async (ReportBuilder builder, CancellationToken ct) =>
            ReportTables.Instalments(await builder.FinanceAsync(ct)), FinanceReaders);
        reports.MapTable("decisions", "Decisions", async (System.Security.Claims.ClaimsPrincipal user, ReportBuilder builder, Organisations.OrganisationStore organisations, CancellationToken ct) =>
            ReportTables.Decisions(await builder.AwaitingDecisionAsync(Pages.Members.DecisionsModel.StageFor(user.Actor().Role), ct), await NamesAsync(organisations, ct)), Role.HceMember, Role.BoardMember);

        reports.MapTable("meetings/{fundId}/{body}/{held}", "MeetingDecisions", async (string fundId, string body, string held, Governance.MeetingRecords records, CancellationToken ct) =>
            Meeting(body, held) is ({ } kind, { } day)
                ? ReportTables.MeetingRecord(await records.ForAsync(fundId, kind, day, ct))
                : (object)BadMeeting());

        reports.MapGet("/meetings/{fundId}/{body}/{held}.docx", async (string fundId, string body, string held, Governance.MeetingRecords records, CancellationToken ct) =>
            Meeting(body, held) is ({ } kind, { } day)
                ? Results.File(Papers.PaperDocument.Decisions(await records.ForAsync(fundId, kind, day, ct), kind == Workflows.Decisions.BodyKind.Hce ? "HCE" : "Partnership Board", day), Papers.PaperDocument.ContentType, $"decisions-{body}-{held}.docx")
                : BadMeeting())
            .WithName("MeetingDecisionsDocument");

        var outcomes = app.MapGroup("/api/outcomes").WithTags("Outcome framework").RequireRoles(RoleGroups.OutcomeReaders);
        outcomes.MapTable("framework", "OutcomeFramework", async (Outcomes.OutcomeFramework framework, CancellationToken ct) =>
            ReportTables.OutcomeFramework(await framework.OverviewAsync(ct)));
        outcomes.MapTable("{measureId}/figures", "MeasureFigures", async (string measureId, Outcomes.OutcomeFramework framework, CancellationToken ct) =>
            await framework.DetailAsync(measureId, ct) is { } detail
                ? ReportTables.MeasureFigures(detail)
                : (object)TypedResults.Problem(statusCode: 404, title: "No such measure.", detail: "The outcome framework has no measure with this id."));

        app.MapPost("/api/reports/rebuild", async (BidIndexProjection projection, CancellationToken ct) =>
            TypedResults.Ok(new { rebuilt = await projection.RebuildAsync(ct) }))
            .WithTags("Reports").RequireRoles(RoleGroups.Coordinators).WithName("RebuildReadModels");
        return app;
    }

    /// <summary>The bids, all or at one stage, as the All bids page lists them.</summary>
    private static async Task<object> BidsAsync(string? fundId, string? stage, BidIndexProjection index, Organisations.OrganisationStore organisations, CancellationToken ct)
    {
        if (Problems.StageFilter(stage, out var stageFilter) is { } badStage)
        {
            return badStage;
        }

        return ReportTables.Bids(await index.ListAsync(fundId, null, stageFilter, ct), (await organisations.ListAsync(ct)).ToDictionary(o => o.Id, o => o.Name));
    }

    /// <summary>A meeting as its record's route names it: the body, and the day it was held as 2011-12-07.</summary>
    private static (Workflows.Decisions.BodyKind? Body, DateOnly? Held) Meeting(string body, string held) =>
        (Governance.Bodies.Parse(body),
            DateOnly.TryParseExact(held, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day) ? day : null);

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem BadMeeting() =>
        Problems.Field("held", "Name the body (hce or board) and the meeting's date as 2011-12-07.");

    private static readonly Role[] FinanceReaders = [Role.FinanceOfficer, Role.Coordinator, Role.Auditor];

    private static async Task<Dictionary<string, string>> NamesAsync(Organisations.OrganisationStore organisations, CancellationToken ct) =>
        (await organisations.ListAsync(ct)).ToDictionary(o => o.Id, o => o.Name);

    /// <summary>One table at <c>/{name}.csv</c> and <c>/{name}.xlsx</c>, written as it is read; <paramref name="only"/> narrows the group's roles.</summary>
    private static void MapTable(this RouteGroupBuilder reports, string name, string endpointName, Delegate table, params Role[] only)
    {
        foreach (var format in Enum.GetValues<ExportFormat>())
        {
            var extension = format.ToString().ToLowerInvariant();
            reports.MapGet($"/{name}.{extension}", table).AddEndpointFilter(async (context, next) =>
            {
                // A table becomes the file; anything else (a bad request's problem) is answered as it is.
                var answer = await next(context);
                return answer is ExportTable exported ? new TableFile(exported, format) : answer;
            })
                .Produces(200, contentType: TableFile.ContentType(format))
                .WithName($"{endpointName}{format}")
                .RequireRoles(only.Length == 0 ? RoleGroups.Everyone : only);
        }
    }
}

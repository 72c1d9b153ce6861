using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Partnership.Functions.Identity;
using Partnership.Functions.Workflow;
using Partnership.Workflows;

namespace Partnership.Functions.Reports;

/// <summary>The coordinators' views as JSON, and each as CSV for the board papers' tables.</summary>
public static class ReportEndpoints
{
    private static readonly CsvWriterOptions Csv = new()
    {
        // A cell beginning =, +, - or @ would run as a formula in a spreadsheet; CsvHelper prefixes it so it reads as text.
        Injection = CsvInjection.Escape,
    };

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports").WithTags("Reports").RequireRoles(RoleGroups.Staff);

        reports.MapGet("/budget-summary", async (string? fundId, ReportBuilder builder, CancellationToken ct) =>
            TypedResults.Ok(await builder.BudgetSummaryAsync(fundId, ct))).WithName("BudgetSummary");
        reports.MapGet("/budget-summary.csv", async (string? fundId, ReportBuilder builder, CancellationToken ct) =>
        {
            var summary = await builder.BudgetSummaryAsync(fundId, ct);
            var rows = summary.Lines.Select(l => new object?[] { l.Line, l.FinancialYear, l.Unallocated.Revenue, l.Unallocated.Capital })
                .Append(["TOTAL", "", summary.TotalUnallocated.Revenue, summary.TotalUnallocated.Capital]);
            return CsvFile("budget-summary.csv", ["Budget line", "Financial year", "Unallocated revenue", "Unallocated capital"], rows);
        }).WithName("BudgetSummaryCsv");

        reports.MapGet("/spend-monitoring", async (string? fundId, int? year, ReportBuilder builder, CancellationToken ct) =>
            TypedResults.Ok(await builder.SpendMonitoringAsync(fundId, year, ct))).WithName("SpendMonitoring");
        reports.MapGet("/spend-monitoring.csv", async (string? fundId, int? year, ReportBuilder builder, CancellationToken ct) =>
        {
            var rows = await builder.SpendMonitoringAsync(fundId, year, ct);
            var quarters = rows.Count > 0 ? rows[0].Quarters.Select(q => q.Label).ToList() : [];
            string[] header = ["Project", "Organisation", "Total grant awarded", .. quarters, "Total spend to date", "Identified underspend", "Projected underspend"];
            return CsvFile("spend-monitoring.csv", header, rows.Select(r => (object?[])
            [
                r.Project, r.Organisation, r.Awarded.Total,
                .. r.Quarters.Select(q => q.Amount is { } amount ? (q.IsActual ? amount.Total : (object)$"{Money(amount.Total)} (forecast)") : "?"),
                r.SpendToDate.Total, r.IdentifiedUnderspend?.Total, r.ProjectedUnderspend?.Total,
            ]));
        }).WithName("SpendMonitoringCsv");

        reports.MapGet("/contract-status", async (string? fundId, ReportBuilder builder, CancellationToken ct) =>
            TypedResults.Ok(await builder.ContractStatusAsync(fundId, ct))).WithName("ContractStatus");
        reports.MapGet("/contract-status.csv", async (string? fundId, ReportBuilder builder, CancellationToken ct) =>
            CsvFile("contract-status.csv", ["Organisation", "Project", "Status"],
                (await builder.ContractStatusAsync(fundId, ct)).Select(r => new object?[] { r.Organisation, r.Project, r.Status }))).WithName("ContractStatusCsv");

        reports.MapGet("/returns", async (string? fundId, ReportBuilder builder, CancellationToken ct) =>
            TypedResults.Ok(await builder.ReturnsAsync(fundId, ct))).WithName("ReturnsDue");
        reports.MapGet("/returns.csv", async (string? fundId, ReportBuilder builder, CancellationToken ct) =>
        {
            var report = await builder.ReturnsAsync(fundId, ct);
            var rows = report.Overdue.Select(r => ("Overdue", r)).Concat(report.DueWithin30Days.Select(r => ("Due within 30 days", r)))
                .Select(x => new object?[]
                {
                    x.Item1, x.r.Organisation, x.r.Project, x.r.Quarter, x.r.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Math.Max(0, x.r.DaysLate), x.r.LastReminderAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), x.r.Escalation.ToString(),
                });
            return CsvFile("returns.csv", ["Status", "Organisation", "Project", "Quarter", "Due", "Days late", "Last reminder", "Escalation"], rows);
        }).WithName("ReturnsDueCsv");

        app.MapPost("/api/reports/rebuild", async (BidIndexProjection projection, CancellationToken ct) =>
            TypedResults.Ok(new { rebuilt = await projection.RebuildAsync(ct) }))
            .WithTags("Reports").RequireRoles(RoleGroups.Coordinators).WithName("RebuildReadModels");
        return app;
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes text as text (protected against formulas) and amounts as numbers with two decimal places, so a negative
    /// amount stays a number in the spreadsheet.
    /// </summary>
    private static FileContentHttpResult CsvFile(string name, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        using var bytes = new MemoryStream();
        using (var csv = CsvWriter.Create(bytes, Csv, true))
        {
            csv.WriteRecord([.. header]);
            foreach (var row in rows)
            {
                foreach (var cell in row)
                {
                    switch (cell)
                    {
                        case decimal amount:
                            csv.WriteField(amount, "0.00");
                            break;
                        case int count:
                            csv.WriteField(count, "0");
                            break;
                        default:
                            csv.WriteField(cell?.ToString() ?? "");
                            break;
                    }
                }

                csv.EndRecord();
            }
        }

        return TypedResults.File(bytes.ToArray(), "text/csv; charset=utf-8", name);
    }
}

using Partnership.Functions.Pages.Components;
using Partnership.Functions.Workflow;

namespace Partnership.Functions.Reports;

/// <summary>Each coordinators' view as the table that downloads: the columns its page shows, with money and dates typed.</summary>
public static class ReportTables
{
    public static ExportTable BudgetSummary(BudgetSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new ExportTable(
            "budget-summary",
            [new("Budget line"), new("Financial year"), new("Unallocated revenue", ColumnKind.Money), new("Unallocated capital", ColumnKind.Money)],
            summary.Lines.Select(l => (IReadOnlyList<object?>)[l.Line, l.FinancialYear, l.Unallocated.Revenue, l.Unallocated.Capital])
                .Append(["TOTAL", null, summary.TotalUnallocated.Revenue, summary.TotalUnallocated.Capital]));
    }

    /// <summary>
    /// Appendix 1: each quarter an amount (a number, empty where no return came) and whether it is the actual spend or
    /// the forecast, so the amounts stay numbers a spreadsheet can add up.
    /// </summary>
    public static ExportTable SpendMonitoring(IReadOnlyList<SpendRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var quarters = rows.Count > 0 ? rows[0].Quarters.Select(q => q.Label).ToList() : [];
        return new ExportTable(
            "spend-monitoring",
            [
                new("Project"), new("Organisation"), new("Total grant awarded", ColumnKind.Money),
                .. quarters.SelectMany(q => new ExportColumn[] { new(q, ColumnKind.Money), new($"{q} is") }),
                new("Total spend to date", ColumnKind.Money), new("Identified underspend", ColumnKind.Money), new("Projected underspend", ColumnKind.Money),
            ],
            rows.Select(r => (IReadOnlyList<object?>)
            [
                r.Project, r.Organisation, r.Awarded.Total,
                .. r.Quarters.SelectMany(q => new object?[] { q.Amount?.Total, q.Amount is null ? "Not received" : q.IsActual ? "Actual" : "Forecast" }),
                r.SpendToDate.Total, r.IdentifiedUnderspend?.Total, r.ProjectedUnderspend?.Total,
            ]));
    }

    public static ExportTable ContractStatus(IReadOnlyList<ContractStatusRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new ExportTable(
            "contract-status",
            [new("Organisation"), new("Project"), new("Status")],
            rows.Select(r => (IReadOnlyList<object?>)[r.Organisation, r.Project, r.Status]));
    }

    public static ExportTable Returns(ReturnsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new ExportTable(
            "returns",
            [new("Status"), new("Organisation"), new("Project"), new("Quarter"), new("Due", ColumnKind.Date), new("Days late", ColumnKind.Count), new("Last reminder", ColumnKind.Date), new("Escalation")],
            report.Overdue.Select(r => ("Overdue", r)).Concat(report.DueWithin30Days.Select(r => ("Due within 30 days", r)))
                .Select(x => (IReadOnlyList<object?>)
                [
                    x.Item1, x.r.Organisation, x.r.Project, x.r.Quarter, x.r.DueOn, Math.Max(0, x.r.DaysLate),
                    x.r.LastReminderAt is { } reminded ? DateOnly.FromDateTime(reminded.UtcDateTime) : null, x.r.Escalation.ToString(),
                ]));
    }

    public static ExportTable Bids(IReadOnlyList<BidSummary> bids, IReadOnlyDictionary<string, string> organisations)
    {
        ArgumentNullException.ThrowIfNull(bids);
        ArgumentNullException.ThrowIfNull(organisations);
        return new ExportTable(
            "bids",
            [new("Bid"), new("Organisation"), new("Stage"), new("Asked for", ColumnKind.Money), new("Awarded", ColumnKind.Money), new("Last changed", ColumnKind.Date)],
            bids.OrderBy(b => b.Title, StringComparer.OrdinalIgnoreCase).Select(b => (IReadOnlyList<object?>)
            [
                b.Title, organisations.GetValueOrDefault(b.OrganisationId, b.OrganisationId), Display.Stage(b.Stage), b.Requested.Total, b.Approved?.Total,
                DateOnly.FromDateTime(b.UpdatedAt.UtcDateTime),
            ]));
    }
}

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

    /// <summary>How many of the latest sign-in records a download holds: far more than the page shows, and still bounded.</summary>
    public const int SignInRows = 50_000;

    public static ExportTable SignIns(IReadOnlyList<Identity.SignInEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return new ExportTable(
            "sign-ins",
            [new("When", ColumnKind.Time), new("What"), new("User"), new("Email"), new("How"), new("From"), new("Why refused")],
            events.Select(e => (IReadOnlyList<object?>)[e.At, e.What, e.UserId, e.Email, e.Method, e.ClientAddress, e.Detail]));
    }

    public static ExportTable PurchaseOrders(FinanceReport report, IReadOnlyDictionary<string, string> organisations)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(organisations);
        return new ExportTable(
            "purchase-orders",
            [new("Project"), new("Organisation"), new("Awarded revenue", ColumnKind.Money), new("Awarded capital", ColumnKind.Money)],
            report.PurchaseOrders.Select(b => (IReadOnlyList<object?>)
                [b.Title, organisations.GetValueOrDefault(b.OrganisationId, b.OrganisationId), (b.Approved ?? b.Requested).Revenue, (b.Approved ?? b.Requested).Capital]));
    }

    public static ExportTable Instalments(FinanceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new ExportTable(
            "instalments",
            [new("Project"), new("Organisation"), new("Instalment", ColumnKind.Count), new("Due", ColumnKind.Date), new("Revenue", ColumnKind.Money), new("Capital", ColumnKind.Money), new("Status")],
            report.Unpaid.Select(u => (IReadOnlyList<object?>)[u.Project, u.Organisation, u.Number, u.DueOn, u.Amount.Revenue, u.Amount.Capital, u.Status]));
    }

    public static ExportTable Decisions(IReadOnlyList<AwaitingDecision> waiting, IReadOnlyDictionary<string, string> organisations)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        ArgumentNullException.ThrowIfNull(organisations);
        return new ExportTable(
            "decisions",
            [new("Bid"), new("Organisation"), new("Asked for", ColumnKind.Money), new("Recommended", ColumnKind.Money), new("Decision due", ColumnKind.Time)],
            waiting.Select(w => (IReadOnlyList<object?>)
            [
                w.Bid.Title, organisations.GetValueOrDefault(w.Bid.OrganisationId, w.Bid.OrganisationId), w.Bid.Requested.Total, w.State.Recommendation?.Amount?.Total, w.State.DecisionDueAt,
            ]));
    }

    /// <summary>A meeting's decisions record: each item with its motion, outcome, amount, minute, attendance and who took no part and why.</summary>
    public static ExportTable MeetingRecord(IReadOnlyList<Governance.MinutedItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new ExportTable(
            "meeting-decisions",
            [new("Minute"), new("Bid"), new("Applicant"), new("Motion"), new("Outcome"), new("Amount", ColumnKind.Money), new("Attended"), new("Took no part")],
            items.Select(i => (IReadOnlyList<object?>)
            [
                i.Minute, i.Bid, i.Applicant, i.Motion, i.Outcome.ToString(), i.Amount?.Total, string.Join("; ", i.Attended), string.Join("; ", i.TookNoPart),
            ]));
    }

    /// <summary>Appendix 4 as a table: a row for each measure's year, its target, figure and rating, figures as numbers.</summary>
    public static ExportTable OutcomeFramework(IReadOnlyList<Outcomes.MeasureOverview> measures)
    {
        ArgumentNullException.ThrowIfNull(measures);
        return new ExportTable(
            "outcome-measures",
            [
                new("Priority"), new("Measure"), new("Title"), new("Lead"), new("Baseline year"), new("Baseline", ColumnKind.Figure),
                new("Year"), new("Target", ColumnKind.Figure), new("Figure", ColumnKind.Figure), new("Quarters given", ColumnKind.Count), new("Rating"),
            ],
            measures.SelectMany(m => (m.Years.Count == 0 ? [null] : m.Years.Select(y => (Workflows.Outcomes.MeasureYear?)y)).Select(y => (IReadOnlyList<object?>)
            [
                m.Measure.Priority, m.Measure.Id, m.Measure.Title, string.Join(", ", m.Measure.Leads.Select(l => l.Name)),
                Workflows.Outcomes.MeasureYear.LabelOf(m.Measure.BaselineYear), m.Measure.Baseline,
                y?.Label, y?.Target, y?.Actual, y?.QuartersReported, y?.Rating?.ToString(),
            ])));
    }

    /// <summary>One measure's quarterly figures, as its page lists them, with who gave each and when.</summary>
    public static ExportTable MeasureFigures(Outcomes.MeasureDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return new ExportTable(
            $"{detail.Measure.Id.ToLowerInvariant()}-figures",
            [new("Quarter"), new("Figure", ColumnKind.Figure), new("Comment"), new("Given by"), new("Given", ColumnKind.Time)],
            detail.Values.Select(v => (IReadOnlyList<object?>)[v.Period().Label, v.Value, v.Comment, detail.Names.GetValueOrDefault(v.RecordedBy, v.RecordedBy), v.RecordedAt]));
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

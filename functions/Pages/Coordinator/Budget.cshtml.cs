using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Reports;
using Partnership.Workflows;
using Partnership.Workflows.Budgets;

namespace Partnership.Functions.Pages.Coordinator;

/// <summary>The budget paper's Table 1: each line's revenue and capital, total, set aside, allocated and unallocated, with a bar per line.</summary>
[Authorize(Roles = RoleGroups.StaffNames)]
public sealed class BudgetModel(ReportBuilder reports) : PageModel
{
    public BudgetSummary Summary { get; private set; } = new([], Funding.Zero, []);

    /// <summary>The largest line's total: every bar is drawn to the same scale.</summary>
    public decimal Scale => Summary.Lines.Count == 0 ? 1m : Math.Max(1m, Summary.Lines.Max(l => Math.Max(l.Total.Revenue, l.Total.Capital)));

    public BoardAgenda Agenda { get; private set; } = new([], BudgetOutlook.IfAllAgreed([], []));

    public async Task OnGetAsync(CancellationToken ct)
    {
        Summary = await reports.BudgetSummaryAsync(null, ct);
        Agenda = await reports.BoardAgendaAsync(null, ct);
    }

    /// <summary>A share of the bar's 300 units, never less than nothing.</summary>
    public double Width(decimal amount) => (double)Math.Max(0m, amount / Scale * 300m);
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Reports;

namespace Partnership.Functions.Pages.Coordinator;

/// <summary>Appendix 1 of the progress report: each project's quarters, spend to date and underspend, with spend and forecast drawn against the award.</summary>
[Authorize(Roles = RoleGroups.StaffNames)]
public sealed class SpendModel(ReportBuilder reports) : PageModel
{
    public IReadOnlyList<SpendRow> Rows { get; private set; } = [];

    public IReadOnlyList<string> Quarters => Rows.Count == 0 ? [] : [.. Rows[0].Quarters.Select(q => q.Label)];

    public decimal Scale => Rows.Count == 0 ? 1m : Math.Max(1m, Rows.Max(r => Math.Max(r.Awarded.Total, Forecast(r))));

    public async Task OnGetAsync(CancellationToken ct) => Rows = await reports.SpendMonitoringAsync(null, null, ct);

    /// <summary>What the project expects to have spent by the year's end: actuals where returned, forecasts after.</summary>
    public static decimal Forecast(SpendRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.SpendToDate.Total + row.Quarters.Where(q => !q.IsActual).Sum(q => q.Amount?.Total ?? 0m);
    }

    public string Width(decimal amount) => ((double)Math.Max(0m, amount / Scale * 300m)).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Reports;
using Partnership.Workflows;

namespace Partnership.Functions.Pages.Finance;

/// <summary>The finance officer's work: purchase orders to raise, and instalments due, held or paid.</summary>
[Authorize(Roles = Roles)]
public sealed class IndexModel(ReportBuilder reports) : PageModel
{
    public const string Path = "/finance";

    /// <summary>Who works from the finance list: finance officers, coordinators who chase it, auditors who check it.</summary>
    public const string Roles = $"{nameof(Role.FinanceOfficer)},{nameof(Role.Coordinator)},{nameof(Role.Auditor)}";

    public FinanceReport Report { get; private set; } = new([], []);

    public async Task OnGetAsync(CancellationToken ct) => Report = await reports.FinanceAsync(ct);
}

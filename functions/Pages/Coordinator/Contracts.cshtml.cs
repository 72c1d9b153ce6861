using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Reports;

namespace Partnership.Functions.Pages.Coordinator;

/// <summary>Appendix 2 of the progress report: where each funded project's contract stands.</summary>
[Authorize(Roles = RoleGroups.StaffNames)]
public sealed class ContractsModel(ReportBuilder reports) : PageModel
{
    public IReadOnlyList<ContractStatusRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Rows = await reports.ContractStatusAsync(null, ct);
}

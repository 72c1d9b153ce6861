using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Governance;
using Partnership.Functions.Identity;
using Partnership.Workflows;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Pages.Audit;

/// <summary>Every member's register of interests, for the auditors who check decisions and the coordinators who run the meetings: who has not reviewed theirs within the year is marked.</summary>
[Authorize(Roles = $"{nameof(Role.Coordinator)},{nameof(Role.Auditor)}")]
public sealed class InterestsModel(InterestStore interests, UserDirectory users, TimeProvider clock, WorkingCalendar calendar) : PageModel
{
    public const string Path = "/audit/interests";

    public IReadOnlyList<(AppUser Member, InterestRegister Register)> Members { get; private set; } = [];

    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = calendar.LocalDate(clock.GetUtcNow());
        var registers = (await interests.ListAsync(ct)).ToDictionary(r => r.UserId, StringComparer.Ordinal);
        Members = [.. (await users.ListAsync(ct))
            .Where(u => RoleGroups.Members.Contains(u.Role))
            .OrderBy(u => u.Role).ThenBy(u => u.DisplayName, StringComparer.OrdinalIgnoreCase)
            .Select(u => (u, registers.GetValueOrDefault(u.Id) ?? InterestRegister.Empty(u.Id)))];
    }
}

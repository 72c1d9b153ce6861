using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Governance;
using Partnership.Functions.Identity;
using Partnership.Workflows;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Pages.Interests;

/// <summary>
/// A member's own register of interests: what they have declared, when each held, and the yearly review, which they
/// confirm here once they have checked every entry still stands.
/// </summary>
[Authorize(Roles = $"{nameof(Role.HceMember)},{nameof(Role.BoardMember)}")]
public sealed class IndexModel(InterestStore interests, TimeProvider clock, WorkingCalendar calendar) : PageModel
{
    public const string Path = "/interests";

    public InterestRegister Register { get; private set; } = InterestRegister.Empty("");

    public DateOnly Today { get; private set; }

    public string? Done { get; private set; }

    public async Task OnGetAsync(string? done, CancellationToken ct)
    {
        Today = calendar.LocalDate(clock.GetUtcNow());
        Register = (await interests.FindAsync(User.Actor().UserId, ct)).Register;
        Done = done switch
        {
            "added" => "The interest is added to your register.",
            "reviewed" => "Your register is reviewed. You will be asked again in a year.",
            _ => null,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await interests.ReviewAsync(User.Actor().UserId, calendar.LocalDate(clock.GetUtcNow()), ct) != RegisterChange.Saved)
        {
            ModelState.AddModelError("review", "Your register changed in another window. Check it again before you confirm it.");
            Response.StatusCode = StatusCodes.Status409Conflict;
            await OnGetAsync(null, ct);
            return Page();
        }

        return Redirect($"{Path}?done=reviewed");
    }
}

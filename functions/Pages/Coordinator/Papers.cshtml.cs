using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Pages.Components;
using Partnership.Functions.Papers;
using Partnership.Workflows;

namespace Partnership.Functions.Pages.Coordinator;

/// <summary>
/// Board papers: a coordinator makes the budget paper or the progress report for a meeting from the figures as they
/// stand; every paper made is listed, for staff to download with the figures it was made from.
/// </summary>
[Authorize(Roles = RoleGroups.StaffNames)]
public sealed class PapersModel(PaperStore store, PaperMaker maker, WorkingCalendar calendar, TimeProvider clock) : PageModel
{
    public const string Path = "/coordinator/papers";

    public static readonly (string Value, string Label)[] Kinds =
        [(nameof(PaperKind.Budget), "Partnership Budget: Table 1, HCE's recommendations and the budget if the Board agrees them"), (nameof(PaperKind.Progress), "Progress report: spend, missing returns, contracts, timescales and outcomes, variations")];

    public IReadOnlyList<StoredPaper> Papers { get; private set; } = [];

    public StoredPaper? Made { get; private set; }

    public DateInput Meeting { get; private set; } = null!;

    public string? Kind { get; private set; }

    public bool MayMake => User.Actor().Role == Role.Coordinator;

    public async Task OnGetAsync(string? made, CancellationToken ct)
    {
        Meeting = DateInput.Of("meeting", "Date of the meeting", calendar.LocalDate(clock.GetUtcNow()), "For example, 7 12 2026.");
        Papers = await store.ListAsync(ct);
        Made = Papers.FirstOrDefault(p => p.Id == made);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!MayMake)
        {
            return Forbid();
        }

        var errors = new Dictionary<string, string[]>();
        var meeting = DateField.Read(Request.Form, "meeting", "The date of the meeting", errors, out var shown, "Date of the meeting", "For example, 7 12 2026.");
        Meeting = shown;
        Kind = Request.Form["kind"].ToString();
        if (meeting is null && !errors.ContainsKey("meeting"))
        {
            errors["meeting"] = ["Enter the date of the meeting."];
        }

        if (!Enum.TryParse<PaperKind>(Kind, out var kind) || !Enum.IsDefined(kind) || int.TryParse(Kind, out _))
        {
            errors["kind"] = ["Choose the paper to make."];
        }

        if (errors.Count > 0)
        {
            ModelState.Clear();
            ModelState.AddAll(errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Papers = await store.ListAsync(ct);
            return Page();
        }

        var paper = await maker.MakeAsync(kind, meeting!.Value, User.Identity?.Name ?? User.Actor().UserId, ct);
        return Redirect($"{Path}?made={Uri.EscapeDataString(paper.Id)}");
    }
}

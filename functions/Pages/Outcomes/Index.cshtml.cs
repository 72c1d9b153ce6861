using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Outcomes;
using Partnership.Workflows;

namespace Partnership.Functions.Pages.Outcomes;

/// <summary>
/// The partnership's outcome framework as Appendix 4 sets it out, priority by priority: each measure's lead,
/// baseline, and each year's target and figure with its rating; leads find the measures they report first.
/// </summary>
[Authorize(Roles = RoleGroups.OutcomeReaderNames)]
public sealed class IndexModel(OutcomeFramework framework) : PageModel
{
    public const string Path = "/outcomes";

    public IReadOnlyList<MeasureOverview> Measures { get; private set; } = [];

    public IReadOnlyList<MeasureOverview> Yours { get; private set; } = [];

    public bool MayAdd => User.Actor().Role == Role.Coordinator;

    /// <summary>The financial years the table has a column for: every year any measure has a target or a figure for.</summary>
    public IReadOnlyList<int> Years { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Measures = await framework.OverviewAsync(ct);
        var actor = User.Actor();
        Yours = [.. Measures.Where(m => m.Measure.IsLedBy(actor.UserId))];
        Years = [.. Measures.SelectMany(m => m.Years.Select(y => y.Year)).Distinct().Order()];
    }
}

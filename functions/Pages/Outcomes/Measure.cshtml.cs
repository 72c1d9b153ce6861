using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Organisations;
using Partnership.Functions.Outcomes;
using Partnership.Workflows;

namespace Partnership.Functions.Pages.Outcomes;

/// <summary>One measure in full: what it measures and who leads it, each year rated, every quarter's figure with its comment, and the funded projects that contribute.</summary>
[Authorize(Roles = RoleGroups.OutcomeReaderNames)]
public sealed class MeasureModel(OutcomeFramework framework, OrganisationStore organisations) : PageModel
{
    public MeasureDetail Detail { get; private set; } = null!;

    public IReadOnlyDictionary<string, string> Organisations { get; private set; } = new Dictionary<string, string>();

    public string? Done { get; private set; }

    public bool MayRecord => OutcomeFramework.MayRecord(User.Actor(), Detail.Measure);

    public bool MayChange => User.Actor().Role == Role.Coordinator;

    /// <summary>Leads from outside the staff see which projects contribute, not the bids themselves.</summary>
    public bool MayOpenBids => User.Actor().IsStaff;

    /// <summary>Applicants' and leads' names are shown; an id the directory does not know is shown as it is.</summary>
    public string Name(string userId) => Detail.Names.GetValueOrDefault(userId, userId);

    public async Task<IActionResult> OnGetAsync(string measureId, string? done, CancellationToken ct)
    {
        if (await framework.DetailAsync(measureId, ct) is not { } detail)
        {
            return NotFound();
        }

        Detail = detail;
        Done = done switch
        {
            "recorded" => "The quarter's figure is recorded.",
            "changed" => "The measure is changed.",
            _ => null,
        };
        Organisations = (await organisations.ListAsync(ct)).ToDictionary(o => o.Id, o => o.Name);
        return Page();
    }
}

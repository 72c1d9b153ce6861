using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Outcomes;
using Partnership.Functions.Pages.Components;
using Partnership.Workflows;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Pages.Outcomes;

/// <summary>A coordinator adds a measure to the framework: its wording, baseline year and first quarter; targets, rule and leads come next, on its change page.</summary>
[Authorize(Roles = nameof(Role.Coordinator))]
public sealed class AddModel(OutcomeFramework framework, OutcomeStore store, WorkingCalendar calendar, TimeProvider clock) : PageModel
{
    public const string Path = "/outcomes/add";

    /// <summary>The priorities measures are kept under now, offered as a hint.</summary>
    public IReadOnlyList<string> Priorities { get; private set; } = [];

    /// <summary>The quarter now, the four before it and the four after: a measure is reported from one of them.</summary>
    public IReadOnlyList<FinancialQuarter> Quarters { get; private set; } = [];

    public int ThisYear { get; private set; }

    public string Shown(string field, string? initial = null) => HttpMethods.IsPost(Request.Method) ? Request.Form[field].ToString() : initial ?? "";

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var form = Request.Form;
        var year = int.TryParse(form["baselineYear"], NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : 0;
        var (result, id) = await framework.AddAsync(
            User.Actor(), new MeasureWording(form["priority"].ToString(), form["outcome"].ToString(), form["title"].ToString(), form["description"].ToString()), year, form["reportingFrom"].ToString(), ct);
        switch (result.Outcome)
        {
            case MeasureOutcome.Done:
                return Redirect($"/outcomes/{id}/change");
            case MeasureOutcome.Forbidden:
                return Forbid();
            default:
                ModelState.AddModelError(result.Field ?? "title", result.Message!);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Priorities = [.. (await store.ListAsync(ct)).Select(m => m.Priority).Distinct(StringComparer.Ordinal)];
        var now = FinancialQuarter.Containing(calendar.LocalDate(clock.GetUtcNow()));
        ThisYear = now.Year;
        var first = now;
        for (var i = 0; i < 4; i++)
        {
            first = first.Number == 1 ? new FinancialQuarter(first.Year - 1, 4) : new FinancialQuarter(first.Year, first.Number - 1);
        }

        var quarters = new List<FinancialQuarter>();
        for (var quarter = first; quarters.Count < 9; quarter = quarter.Following())
        {
            quarters.Add(quarter);
        }

        Quarters = quarters;
    }
}

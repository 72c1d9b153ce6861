using System.Collections.Immutable;
using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Outcomes;
using Partnership.Functions.Pages.Components;
using Partnership.Workflows;
using Partnership.Workflows.Outcomes;

namespace Partnership.Functions.Pages.Outcomes;

/// <summary>
/// A coordinator sets a measure's wording, its baseline, its target for each of the five years after the baseline, the rule
/// that rates a year, who leads it (people in the directory record its figures; partners outside it are named) and its partners.
/// </summary>
[Authorize(Roles = nameof(Role.Coordinator))]
public sealed class ChangeModel(OutcomeFramework framework, UserDirectory users) : PageModel
{
    public const int TargetYears = 5;

    public const string YearFigureLegend = "A year's figure is";

    public static readonly (string Value, string Label)[] Directions = [(nameof(Direction.HigherIsBetter), "A higher figure is better"), (nameof(Direction.LowerIsBetter), "A lower figure is better")];

    public static readonly (string Value, string Label)[] YearFigures =
        [(nameof(YearFigure.LatestQuarter), "Its latest quarter's, for a rate or what stands at a time"), (nameof(YearFigure.TotalOfQuarters), "The total of its quarters, for a count of what happened")];

    public MeasureDetail Detail { get; private set; } = null!;

    /// <summary>Everyone in the directory who is not an applicant: a lead is a member of staff or a partner's officer.</summary>
    public IReadOnlyList<AppUser> People { get; private set; } = [];

    public int BaselineYear { get; private set; }

    public string Shown(string field, string? stored) => HttpMethods.IsPost(Request.Method) ? Request.Form[field].ToString() : stored ?? "";

    public string? Stored(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(string measureId, CancellationToken ct)
    {
        if (!await OpenAsync(measureId, ct))
        {
            return NotFound();
        }

        BaselineYear = Detail.Measure.BaselineYear;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string measureId, CancellationToken ct)
    {
        if (!await OpenAsync(measureId, ct))
        {
            return NotFound();
        }

        var form = Request.Form;
        var errors = new Dictionary<string, string[]>();
        BaselineYear = int.TryParse(form["baselineYear"], NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 2000 and < 2100 ? year : Detail.Measure.BaselineYear;
        if (BaselineYear != year)
        {
            errors["baselineYear"] = ["Choose the baseline year."];
        }

        var baseline = Figure("baseline", errors);
        var targets = ImmutableSortedDictionary.CreateBuilder<int, decimal>();
        for (var target = BaselineYear + 1; target <= BaselineYear + TargetYears; target++)
        {
            if (Figure($"target-{target}", errors) is { } figure)
            {
                targets[target] = figure;
            }
        }

        var direction = Enum.TryParse<Direction>(form["direction"], out var d) && Enum.IsDefined(d) && !int.TryParse(form["direction"], out _) ? d : (Direction?)null;
        var yearFigure = Enum.TryParse<YearFigure>(form["yearFigure"], out var y) && Enum.IsDefined(y) && !int.TryParse(form["yearFigure"], out _) ? y : (YearFigure?)null;
        if (direction is null)
        {
            errors["direction"] = ["Say whether a higher or a lower figure is better."];
        }

        if (yearFigure is null)
        {
            errors["yearFigure"] = ["Say how a year's quarters make its figure."];
        }

        var margin = Figure("amberMargin", errors);
        if (margin is null && !errors.ContainsKey("amberMargin"))
        {
            errors["amberMargin"] = ["Enter the amber margin, as a percentage of the target."];
        }

        var chosen = form["leads"].Select(l => l ?? "").ToList();
        var leads = People.Where(p => chosen.Contains(p.Id, StringComparer.Ordinal)).Select(p => new MeasureLead(p.DisplayName, p.Id))
            .Concat(Lines("otherLeads").Select(name => new MeasureLead(name)))
            .ToImmutableArray();
        if (chosen.Except(People.Select(p => p.Id), StringComparer.Ordinal).Any())
        {
            errors["leads"] = ["Choose leads from the list."];
        }

        if (errors.Count == 0)
        {
            var wording = new MeasureWording(form["priority"].ToString(), form["outcome"].ToString(), form["title"].ToString(), form["description"].ToString());
            var change = new MeasureChange(BaselineYear, baseline, targets.ToImmutable(), new RagRule(direction!.Value, yearFigure!.Value, margin!.Value), leads, [.. Lines("partners")], wording);
            var version = form["version"].ToString() is { Length: > 0 } v ? new Azure.ETag(v) : (Azure.ETag?)null;
            var result = await framework.ChangeAsync(User.Actor(), measureId, change, version, ct);
            switch (result.Outcome)
            {
                case MeasureOutcome.Done:
                    return Redirect($"/outcomes/{measureId}?done=changed");
                case MeasureOutcome.Forbidden:
                    return Forbid();
                case MeasureOutcome.Conflict:
                    ModelState.Clear();
                    await OpenAsync(measureId, ct);
                    BaselineYear = Detail.Measure.BaselineYear;
                    ModelState.AddModelError("baselineYear", result.Message!);
                    Response.StatusCode = StatusCodes.Status409Conflict;
                    return Page();
                default:
                    errors[result.Field == "measure" ? "baselineYear" : result.Field!] = [result.Message!];
                    break;
            }
        }

        ModelState.AddAll(errors);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private decimal? Figure(string field, Dictionary<string, string[]> errors)
    {
        var text = MoneyText.Clean(Request.Form[field]);
        if (text.Length == 0)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && MeasureValue.IsFigure(value))
        {
            return value;
        }

        errors[field] = [MeasureValue.FigureRule];
        return null;
    }

    private IEnumerable<string> Lines(string field) =>
        Request.Form[field].ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal);

    private async Task<bool> OpenAsync(string measureId, CancellationToken ct)
    {
        if (await framework.DetailAsync(measureId, ct) is not { } detail)
        {
            return false;
        }

        Detail = detail;
        People = [.. (await users.ListAsync(ct)).Where(u => u.Role != Role.Applicant).OrderBy(u => u.DisplayName, StringComparer.Ordinal)];
        return true;
    }
}

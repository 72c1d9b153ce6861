using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Functions.Outcomes;
using Partnership.Functions.Pages.Components;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Pages.Outcomes;

/// <summary>A lead (or a coordinator for them) gives a quarter's figure with a comment; giving one again replaces it, the old one kept.</summary>
[Authorize(Roles = RoleGroups.OutcomeReaderNames)]
public sealed class RecordModel(OutcomeFramework framework) : PageModel
{
    public MeasureDetail Detail { get; private set; } = null!;

    public string? Quarter { get; private set; }

    public string? Value { get; private set; }

    public string? Comment { get; private set; }

    public async Task<IActionResult> OnGetAsync(string measureId, CancellationToken ct)
    {
        if (await OpenAsync(measureId, ct) is { } refused)
        {
            return refused;
        }

        var given = Detail.Values.Select(v => v.Quarter).ToHashSet(StringComparer.Ordinal);
        Quarter = (Detail.Reportable.LastOrDefault(q => !given.Contains(q.Key)) is { Year: > 0 } missing ? missing : Detail.Reportable[0]).Key;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string measureId, CancellationToken ct)
    {
        if (await OpenAsync(measureId, ct) is { } refused)
        {
            return refused;
        }

        Quarter = Request.Form["quarter"].ToString();
        Value = Request.Form["value"].ToString();
        Comment = Request.Form["comment"].ToString();
        decimal? figure = decimal.TryParse(MoneyText.Clean(Value), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        var result = string.IsNullOrWhiteSpace(Value) || figure is not null
            ? await framework.RecordAsync(User.Actor(), measureId, Quarter, figure, Comment, ct)
            : MeasureResult.Invalid("value", "Enter the figure as a number, such as 1250 or 72.5.");
        switch (result.Outcome)
        {
            case MeasureOutcome.Done:
                return Redirect($"/outcomes/{measureId}?done=recorded");
            case MeasureOutcome.Forbidden:
                return Forbid();
            case MeasureOutcome.NotFound:
                return NotFound();
            default:
                ModelState.AddModelError(result.Field!, result.Message!);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
        }
    }

    private async Task<IActionResult?> OpenAsync(string measureId, CancellationToken ct)
    {
        if (await framework.DetailAsync(measureId, ct) is not { } detail)
        {
            return NotFound();
        }

        Detail = detail;
        if (!OutcomeFramework.MayRecord(User.Actor(), detail.Measure))
        {
            return Forbid();
        }

        return detail.Reportable.Count == 0 ? Redirect($"/outcomes/{measureId}") : null;
    }
}

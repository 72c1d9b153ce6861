using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Funds;
using Partnership.Functions.Pages.Components;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Pages.Coordinator;

/// <summary>
/// A fund's settings: the decision window of each stage (working days, a reminder before, an escalation after and to
/// whom), the quarterly returns' calendar and reminder ladder, and the partnership priorities bids choose from. Bids
/// entering a stage afterwards use the new values; timers already set keep theirs.
/// </summary>
[Authorize(Roles = nameof(Role.Coordinator))]
public sealed class FundModel(FundStore funds) : PageModel
{
    public static readonly Audience[] EscalationAudiences = [Audience.Coordinators, Audience.HceMembers, Audience.BoardMembers, Audience.BoardChair, Audience.FinanceOfficers];

    public Fund Fund { get; private set; } = null!;

    public bool Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(string fundId, bool? saved, CancellationToken ct)
    {
        if (await funds.FindAsync(fundId, ct) is not { } fund)
        {
            return NotFound();
        }

        (Fund, Saved) = (fund, saved == true);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string fundId, CancellationToken ct)
    {
        if (await funds.FindAsync(fundId, ct) is not { } fund)
        {
            return NotFound();
        }

        Fund = fund;
        var errors = new Dictionary<string, string[]>();
        var deadlines = fund.Deadlines;
        foreach (var stage in FundDeadlines.StagesWithDeadlines.Order())
        {
            var deadline = new StageDeadline(
                Whole($"{stage}-workingDays", errors), Whole($"{stage}-reminder", errors), Whole($"{stage}-escalation", errors),
                Enum.TryParse<Audience>(Request.Form[$"{stage}-escalateTo"], out var to) && EscalationAudiences.Contains(to) ? to : Audience.Coordinators);
            if (!errors.Keys.Any(k => k.StartsWith($"{stage}-", StringComparison.Ordinal)) && deadline.Problem() is { } problem)
            {
                errors[$"{stage}-workingDays"] = [$"{Display.Stage(stage)}: {problem}"];
            }

            deadlines = deadlines.With(stage, deadline);
        }

        var monitoring = LadderForm.Read(Request.Form, errors);

        var priorities = Request.Form["priorities"].ToString().Split('\n').Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (priorities.Count is 0 or > BusinessCaseRules.MaxItems || priorities.Any(p => p.Length > BusinessCaseRules.MaxShort))
        {
            errors["priorities"] = [$"List between 1 and {BusinessCaseRules.MaxItems} priorities, one on each line, each up to {BusinessCaseRules.MaxShort} characters."];
        }

        if (errors.Count > 0)
        {
            ModelState.Clear();
            ModelState.AddAll(errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await funds.SaveAsync(fund with { Deadlines = deadlines, Monitoring = monitoring, Priorities = priorities }, ct);
        return Redirect($"/coordinator/funds/{fundId}?saved=true");
    }

    private int Whole(string field, Dictionary<string, string[]> errors) => LadderForm.Whole(Request.Form, field, errors);
}

using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Funds;
using Partnership.Functions.Governance;
using Partnership.Functions.Identity;
using Partnership.Functions.Pages.Components;
using Partnership.Workflows;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Pages.Coordinator;

/// <summary>
/// A coordinator names a fund's HCE or Board: its members from the directory, its chair and vice-chair, and its
/// standing orders (quorum, what carries in writing, the chair's limit). The same checks as the API's.
/// </summary>
[Authorize(Roles = nameof(Role.Coordinator))]
public sealed class BodyModel(FundStore funds, UserDirectory users) : PageModel
{
    public Fund Fund { get; private set; } = null!;

    public DecisionBody Body { get; private set; } = null!;

    public IReadOnlyList<AppUser> Candidates { get; private set; } = [];

    public bool Saved { get; private set; }

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(string fundId, string body, bool? saved, CancellationToken ct)
    {
        if (Bodies.Parse(body) is not { } kind || await funds.FindAsync(fundId, ct) is not { } fund)
        {
            return NotFound();
        }

        var directory = await users.ListAsync(ct);
        (Fund, Body, Saved) = (fund, Bodies.Of(fund, kind, directory), saved == true);
        Candidates = [.. directory.Where(u => u.Role == Bodies.RoleOf(kind)).OrderBy(u => u.DisplayName, StringComparer.OrdinalIgnoreCase)];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string fundId, string body, CancellationToken ct)
    {
        if (await OnGetAsync(fundId, body, null, ct) is not PageResult)
        {
            return NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        var form = Request.Form;
        var request = new BodyRequest(
            [.. form["members"].OfType<string>()], form["chair"], form["viceChair"],
            new ShareRequest(Whole("quorum", errors), Whole("quorumDenominator", errors)), Whole("quorumMinimum", errors),
            new ShareRequest(Whole("writtenMajority", errors), Whole("writtenMajorityDenominator", errors)), Whole("writtenMinimumAgreeing", errors),
            Limit(errors));
        var named = request.ToBody(Body.Kind, out var problems);
        if (named is not null && Bodies.MembershipProblem(named, Candidates) is { } membership)
        {
            problems[nameof(BodyRequest.Members)] = [membership];
        }

        foreach (var (field, messages) in problems)
        {
            errors.TryAdd(FormErrors.FieldId(field), messages);
        }

        if (errors.Count > 0)
        {
            ModelState.AddAll(errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await funds.SaveAsync(Fund with { Bodies = Fund.Bodies.SetItem(Body.Kind, named!) }, ct);
        return Redirect($"/coordinator/funds/{fundId}/bodies/{body}?saved=true");
    }

    private int? Whole(string field, Dictionary<string, string[]> errors)
    {
        if (int.TryParse(Request.Form[field], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors[field] = ["Enter a whole number, like 3."];
        return null;
    }

    private decimal? Limit(Dictionary<string, string[]> errors)
    {
        var text = MoneyText.Clean(Request.Form["chairsActionLimit"]);
        if (text.Length == 0)
        {
            return null;
        }

        if (MoneyText.TryParse(text, out var limit))
        {
            return limit;
        }

        errors["chairsActionLimit"] = ["Enter the chair's limit in pounds and pence, like 10000, or leave it empty."];
        return null;
    }
}

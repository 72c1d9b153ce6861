using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Partnership.Functions.Budgets;
using Partnership.Functions.Grants;
using Partnership.Functions.Pages.Components;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Budgets;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Pages.Bids;

/// <summary>A coordinator proposes a variation of a grant being monitored, for HCE to agree or decline.</summary>
[Authorize(Roles = nameof(Role.Coordinator))]
public sealed class VariationModel(BidRepository repository, BidCommandService commands, BidIndexProjection index, BudgetLedger ledger) : BidPageModel(repository, commands)
{
    public static readonly (string Value, string Label)[] Kinds =
    [
        (nameof(VariationKind.ChangeAward), "Change the award"),
        (nameof(VariationKind.MoveUnderspend), "Move underspend to another project"),
        (nameof(VariationKind.ChangeBudgetLine), "Fund the rest from another budget line"),
        (nameof(VariationKind.ChangeEndDate), "Change the end date"),
        (nameof(VariationKind.ChangeMilestones), "Change the milestones"),
    ];

    public IReadOnlyList<BidSummary> OtherGrants { get; private set; } = [];

    public IReadOnlyList<BudgetLine> Lines { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await OpenAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await OpenAsync(ct))
        {
            return NotFound();
        }

        var form = Request.Form;
        var parsing = new Dictionary<string, string[]>();
        var newEnd = DateField.Read(form, "newEndDate", "The new end date", parsing, out _, "New end date");
        var request = new VariationRequest(
            Enum.TryParse<VariationKind>(form["kind"], out var kind) && Enum.IsDefined(kind) ? kind : null, form["reason"].ToString(),
            Money("newAward", parsing), Money("amount", parsing), Blank(form["toBidId"]), Blank(form["toLineId"]), newEnd, Blank(form["milestones"]));
        var variation = request.ToVariation(out var errors);
        foreach (var (field, messages) in parsing)
        {
            errors[field] = messages;
        }

        ModelState.Clear();
        ModelState.AddAll(errors.ToDictionary(e => e.Key.Replace(".revenue", "-revenue", StringComparison.Ordinal).Replace(".capital", "-capital", StringComparison.Ordinal), e => e.Value));
        if (variation is null || errors.Count > 0)
        {
            return Invalid();
        }

        return await RunAsync(new ProposeVariation(Actor, variation), "kind", ct) ? Redirect($"/bids/{BidId}?done=variation") : Invalid();
    }

    private async Task<bool> OpenAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct) || Bid.Stage != BidStage.Monitoring)
        {
            return false;
        }

        OtherGrants = [.. (await index.ListAsync(Bid.FundId, null, BidStage.Monitoring, ct)).Where(b => b.BidId != BidId)];
        Lines = await ledger.LinesAsync(Bid.FundId, ct);
        return true;
    }

    private MoneyRequest? Money(string field, Dictionary<string, string[]> errors)
    {
        decimal? Part(string name)
        {
            var text = MoneyText.Clean(Request.Form[name]);
            if (text.Length == 0)
            {
                return null;
            }

            if (MoneyText.TryParse(text, out var amount))
            {
                return amount;
            }

            errors[name] = ["Enter an amount in pounds and pence, like 12675.25."];
            return null;
        }

        var revenue = Part($"{field}-revenue");
        var capital = Part($"{field}-capital");
        return revenue is null && capital is null ? null : new MoneyRequest(revenue ?? 0m, capital ?? 0m);
    }

    private static string? Blank(Microsoft.Extensions.Primitives.StringValues value) => string.IsNullOrWhiteSpace(value) ? null : value.ToString().Trim();
}

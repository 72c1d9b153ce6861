using Microsoft.AspNetCore.Authorization;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Partnership.Functions.Pages.Components;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Pages.Bids;

/// <summary>
/// A quarterly return: the quarter's actual spend, forecasts for the rest of the year (prefilled from the last
/// return), identified underspend, a narrative, each milestone rated red, amber or green with a comment, each outcome
/// measure's actual, and the evidence uploaded for it. Spend to date and projected underspend are worked out, not typed.
/// </summary>
[Authorize(Roles = nameof(Role.Applicant))]
public sealed class ReturnModel(BidRepository repository, BidCommandService commands) : BidPageModel(repository, commands)
{
    public QuarterlyReturn Due { get; private set; } = null!;

    public IReadOnlyList<FinancialQuarter> Later { get; private set; } = [];

    /// <summary>Which parts of the award the amounts are in: revenue, capital or both.</summary>
    public bool HasRevenue => (Bid.ApprovedAmount ?? Bid.Proposal.Requested).Revenue > 0m;

    public bool HasCapital => (Bid.ApprovedAmount ?? Bid.Proposal.Requested).Capital > 0m;

    public IReadOnlyList<string> Milestones => WritesCase ? [.. Case.Milestones.Select(m => $"{m.Timescale}: {m.Achievement}")] : [];

    public IReadOnlyList<ProjectOutcome> Outcomes => WritesCase ? Case.Outcomes : [];

    public IReadOnlyList<DocumentVersion> Evidence => [.. Bid.Documents.Where(d => d.Kind == DocumentKind.Evidence).GroupBy(d => d.DocumentId).Select(g => g.MaxBy(d => d.Version)!)];

    public string? LastForecast(FinancialQuarter quarter, bool capital) =>
        Bid.Returns.Where(r => r.Report is not null && string.CompareOrdinal(r.Quarter, Due.Quarter) < 0).OrderBy(r => r.Quarter, StringComparer.Ordinal).LastOrDefault()?.Report!.Forecasts
            .FirstOrDefault(f => f.Quarter == quarter.Key)?.Amount is { } amount ? Display.Field(capital ? amount.Capital : amount.Revenue) : null;

    public async Task<IActionResult> OnGetAsync(string quarter, CancellationToken ct) => await OpenAsync(quarter, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string quarter, CancellationToken ct)
    {
        if (!await OpenAsync(quarter, ct))
        {
            return NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        var spend = Amounts("spend", errors);
        var underspend = Amounts("underspend", errors);
        var forecasts = Later.Select(q => new QuarterForecast(q.Key, Amounts($"forecast-{q.Key}", errors))).ToImmutableList();
        var narrative = Request.Form["narrative"].ToString().Trim();
        if (narrative.Length is 0 or > BusinessCaseRules.MaxText)
        {
            errors["narrative"] = [$"Say how the project went this quarter, in up to {BusinessCaseRules.MaxText:N0} characters."];
        }

        var milestones = new List<MilestoneUpdate>();
        for (var i = 0; i < Milestones.Count; i++)
        {
            if (Enum.TryParse<Rag>(Request.Form[$"rag-{i}"], out var rating) && Enum.IsDefined(rating))
            {
                milestones.Add(new MilestoneUpdate(Milestones[i], rating, Blank(Request.Form[$"ragComment-{i}"].ToString())));
            }
            else
            {
                errors[$"rag-{i}"] = ["Rate the milestone red, amber or green."];
            }
        }

        var outcomes = new List<OutcomeMeasure>();
        for (var i = 0; i < Outcomes.Count; i++)
        {
            var text = Request.Form[$"actual-{i}"].ToString().Trim();
            decimal? actual = null;
            if (text.Length > 0)
            {
                if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
                {
                    actual = value;
                }
                else
                {
                    errors[$"actual-{i}"] = ["Enter the measure as a number, like 12, or leave it empty."];
                }
            }

            outcomes.Add(new OutcomeMeasure(Outcomes[i].Measure, Number(Outcomes[i].Baseline), Number(Outcomes[i].Target), actual));
        }

        ModelState.Clear();
        ModelState.AddAll(errors);
        if (errors.Count > 0)
        {
            return Invalid();
        }

        var evidence = Request.Form["evidence"].Where(id => Evidence.Any(d => d.DocumentId == id)).Select(id => id!).ToImmutableList();
        var report = new ReturnReport(spend, forecasts, underspend, narrative, [.. milestones], [.. outcomes], evidence);
        return await RunAsync(new SubmitReturn(Actor, Due.Quarter, report), "spend", ct) ? Redirect($"/bids/{BidId}?done=return") : Invalid();
    }

    private async Task<bool> OpenAsync(string quarter, CancellationToken ct)
    {
        if (!await LoadAsync(ct) || Actor.Role != Role.Applicant
            || Bid.Returns.FirstOrDefault(r => r.Quarter == quarter && r.Status is ReturnStatus.Awaited or ReturnStatus.ChangesRequested) is not { } due)
        {
            return false;
        }

        Due = due;
        var period = due.Period();
        Later = [.. Enumerable.Range(period.Number + 1, Math.Max(0, 4 - period.Number)).Select(n => new FinancialQuarter(period.Year, n))];
        return true;
    }

    private Funding Amounts(string field, Dictionary<string, string[]> errors)
    {
        decimal Part(string name, bool shown)
        {
            if (!shown)
            {
                return 0m;
            }

            var text = MoneyText.Clean(Request.Form[name]);
            if (text.Length == 0)
            {
                return 0m;
            }

            if (MoneyText.TryParse(text, out var amount) && Money.IsAmount(amount))
            {
                return amount;
            }

            errors[name] = ["Enter an amount in pounds and pence, like 12675.25, or leave it empty for none."];
            return 0m;
        }

        return new Funding(Part($"{field}-revenue", HasRevenue), Part($"{field}-capital", HasCapital));
    }

    private static decimal? Number(string? text) => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? Blank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

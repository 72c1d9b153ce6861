using Partnership.Functions.Organisations;
using Partnership.Functions.Reports;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Grants;
using Partnership.Workflows.Outcomes;

namespace Partnership.Functions.Papers;

public enum PaperKind
{
    /// <summary>The budget paper: Table 1, HCE's recommendations, and Table 1 as it would stand if the Board agreed them.</summary>
    Budget,

    /// <summary>The progress report: Appendix 1 spend, missing returns, Appendix 2 contracts, Appendix 3 milestones and outcomes, variations.</summary>
    Progress,
}

/// <summary>The figures a budget paper was made from, kept beside it.</summary>
public sealed record BudgetPaperFigures(DateOnly Meeting, BudgetSummary Table1, BoardAgenda Agenda);

/// <summary>An Appendix 1 line; a completed scheme is shaded in the paper.</summary>
public sealed record SpendLine(SpendRow Row, bool Completed);

/// <summary>The projects whose return for one quarter was due before the meeting and has not come in.</summary>
public sealed record MissingReturns(string Quarter, IReadOnlyList<string> Projects)
{
    public string Sentence => $"{Quarter} monitoring reports have not been received for {Listing(Projects)}.";

    private static string Listing(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}";
}

/// <summary>A business case milestone with the rating of the latest return that reported on it.</summary>
public sealed record PlanMilestone(string Timescale, string Achievement, Rag? Rating, string? Comment);

public sealed record PlanOutcome(string Description, string Measure, string? Baseline, string? Target, DateOnly? By);

/// <summary>Appendix 3: a funded project's timescales and outcomes as its business case set them out.</summary>
public sealed record ProjectPlan(string Organisation, string Project, IReadOnlyList<PlanMilestone> Milestones, IReadOnlyList<PlanOutcome> Outcomes);

/// <summary>One row of Appendix 4: an outcome measure with its baseline and, for each year, its target, figure and rating.</summary>
public sealed record MeasureLine(string Priority, string Id, string Title, string Outcome, string BaselineYear, decimal? Baseline, IReadOnlyList<MeasureYear> Years, string Partners, string Leads);

public sealed record AgreedVariation(string Project, DateOnly AgreedOn, VariationKind Kind, string Reason);

/// <summary>The figures a progress report was made from, kept beside it.</summary>
public sealed record ProgressPaperFigures(
    DateOnly Meeting,
    string FinancialYear,
    IReadOnlyList<string> Quarters,
    IReadOnlyList<SpendLine> Spend,
    IReadOnlyList<MissingReturns> Missing,
    IReadOnlyList<ContractStatusRow> Contracts,
    IReadOnlyList<ProjectPlan> Plans,
    DateOnly VariationsSince,
    IReadOnlyList<AgreedVariation> Variations,
    IReadOnlyList<string> MeasureYears,
    IReadOnlyList<MeasureLine> Measures);

/// <summary>
/// Gathers what each paper shows, as it stands now, for a meeting on a given date: the read models for the tables,
/// and each funded bid's recorded state and history where a paper needs its business case or its variations.
/// </summary>
public sealed class PaperFigures(ReportBuilder reports, BidIndexProjection index, BidRepository repository, OrganisationStore organisations, Outcomes.OutcomeFramework framework)
{
    public async Task<BudgetPaperFigures> BudgetAsync(string? fundId, DateOnly meeting, CancellationToken cancellationToken) =>
        new(meeting, await reports.BudgetSummaryAsync(fundId, cancellationToken), await reports.BoardAgendaAsync(fundId, cancellationToken));

    /// <summary>
    /// <paramref name="variationsSince"/> is the last meeting's date: the variations agreed after it are the ones to
    /// report. Returns missing are those due before the meeting.
    /// </summary>
    public async Task<ProgressPaperFigures> ProgressAsync(string? fundId, DateOnly meeting, DateOnly variationsSince, CancellationToken cancellationToken)
    {
        var year = FinancialQuarter.Containing(meeting).Year;
        var spend = await reports.SpendMonitoringAsync(fundId, year, cancellationToken);
        var bids = await index.ListAsync(fundId, null, null, cancellationToken);
        var byId = bids.ToDictionary(b => b.BidId);
        var names = (await organisations.ListAsync(cancellationToken)).ToDictionary(o => o.Id, o => o.Name);

        var missing = bids
            .Where(b => b.Grant is not null && !b.Stage.IsFinished())
            .SelectMany(b => b.Grant!.Returns.Where(r => !r.IsReceived && r.DueOn < meeting).Select(r => (r.Quarter, b.Title)))
            .GroupBy(x => x.Quarter, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MissingReturns(QuarterName(FinancialQuarter.Parse(g.Key)), [.. g.Select(x => x.Title).Order(StringComparer.Ordinal)]))
            .ToList();

        var plans = new List<ProjectPlan>();
        var variations = new List<AgreedVariation>();
        foreach (var bid in bids.Where(b => b.Grant is not null && b.Stage is not BidStage.Withdrawn).OrderBy(b => names.GetValueOrDefault(b.OrganisationId, b.OrganisationId), StringComparer.Ordinal).ThenBy(b => b.Title, StringComparer.Ordinal))
        {
            if ((await repository.LoadAsync(bid.BidId, cancellationToken))?.State is { Proposal.Case: { } businessCase } state && (businessCase.Milestones.Count > 0 || businessCase.Outcomes.Count > 0))
            {
                var latest = state.Returns.Where(r => r.IsReceived && r.Report is not null).MaxBy(r => r.Quarter, StringComparer.Ordinal)?.Report!.Milestones ?? [];
                plans.Add(new ProjectPlan(
                    names.GetValueOrDefault(bid.OrganisationId, bid.OrganisationId),
                    bid.Title,
                    [.. businessCase.Milestones.Select(m => latest.FirstOrDefault(u => u.Milestone == m.Achievement) is { } update
                        ? new PlanMilestone(m.Timescale, m.Achievement, update.Rating, update.Comment)
                        : new PlanMilestone(m.Timescale, m.Achievement, null, null))],
                    [.. businessCase.Outcomes.Select(o => new PlanOutcome(o.Description, o.Measure, o.Baseline, o.Target, o.By))]));
            }

            foreach (var agreed in (await repository.HistoryAsync(bid.BidId, cancellationToken)).Select(h => h.Event).OfType<VariationAgreed>())
            {
                var on = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(agreed.At, Infrastructure.UkTime.Zone).DateTime);
                if (on > variationsSince && on <= meeting)
                {
                    variations.Add(new AgreedVariation(bid.Title, on, agreed.Variation.Kind, agreed.Variation.Reason));
                }
            }
        }

        var measures = await framework.OverviewAsync(cancellationToken);
        var measureYears = measures.SelectMany(m => m.Years.Select(y => y.Year)).Distinct().Order().ToList();
        return new ProgressPaperFigures(
            meeting,
            $"{year}/{(year + 1) % 100:D2}",
            [.. Enumerable.Range(1, 4).Select(n => QuarterName(new FinancialQuarter(year, n)))],
            [.. spend.Select(row => new SpendLine(row, IsCompleted(row, byId.GetValueOrDefault(row.BidId))))],
            missing,
            await reports.ContractStatusAsync(fundId, cancellationToken),
            plans,
            variationsSince,
            [.. variations.OrderBy(v => v.AgreedOn).ThenBy(v => v.Project, StringComparer.Ordinal)],
            [.. measureYears.Select(MeasureYear.LabelOf)],
            [.. measures.Select(m => new MeasureLine(
                m.Measure.Priority, m.Measure.Id, m.Measure.Title, m.Measure.Outcome, MeasureYear.LabelOf(m.Measure.BaselineYear), m.Measure.Baseline,
                [.. measureYears.Select(y => m.Years.FirstOrDefault(x => x.Year == y) ?? new MeasureYear(y, null, null, 0, null))],
                string.Join(", ", m.Measure.Partners), string.Join(", ", m.Measure.Leads.Select(l => l.Name))))]);
    }

    /// <summary>
    /// A scheme is complete once it is closing or closed, or once what it has spent and given up as underspend
    /// accounts for its whole award.
    /// </summary>
    private static bool IsCompleted(SpendRow row, BidSummary? bid) =>
        bid?.Stage is BidStage.Closing or BidStage.Closed
        || row.SpendToDate.Total + (row.IdentifiedUnderspend?.Total ?? 0m) >= row.Awarded.Total && row.Awarded.Total > 0m;

    private static string QuarterName(FinancialQuarter quarter) => $"Quarter {quarter.Number} {quarter.Year}/{(quarter.Year + 1) % 100:D2}";
}

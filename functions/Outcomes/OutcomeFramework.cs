using System.Collections.Immutable;
using Partnership.Functions.Identity;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Grants;
using Partnership.Workflows.Outcomes;

namespace Partnership.Functions.Outcomes;

/// <summary>A measure as Appendix 4 shows it: its years rated, and the last quarter whose figure is overdue, if any.</summary>
public sealed record MeasureOverview(PartnershipMeasure Measure, IReadOnlyList<MeasureYear> Years, MeasureValue? Latest, MeasureReminder? Overdue);

/// <summary>A funded project that says one of its outcomes contributes to the measure.</summary>
public sealed record ContributingProject(string BidId, string Title, string OrganisationId, BidStage Stage);

public sealed record MeasureDetail(
    StoredMeasure Stored,
    IReadOnlyList<MeasureYear> Years,
    IReadOnlyList<MeasureValue> Values,
    IReadOnlyList<MeasureValue> Replaced,
    IReadOnlyList<FinancialQuarter> Reportable,
    IReadOnlyList<ContributingProject> Projects,
    IReadOnlyDictionary<string, string> Names)
{
    public PartnershipMeasure Measure => Stored.Measure;
}

/// <summary>What a measure says it measures, under which priority and outcome.</summary>
public sealed record MeasureWording(string Priority, string Outcome, string Title, string Description)
{
    /// <summary>The first field that cannot stand, by its form and request name, with why; null when all can.</summary>
    public (string Field, string Message)? Problem()
    {
        foreach (var (field, text, limit) in new[] { ("priority", Priority, 200), ("outcome", Outcome, 200), ("title", Title, 200), ("description", Description, PartnershipMeasure.MaxText) })
        {
            if (field != "description" && string.IsNullOrWhiteSpace(text))
            {
                return (field, $"Enter the measure's {field}.");
            }

            if (FreeText.Problem(text ?? "", limit) is { } problem)
            {
                return (field, problem);
            }
        }

        return null;
    }
}

/// <summary>What a coordinator may change of a measure: its wording (null keeps it), its figures to aim at, its rule and who leads it.</summary>
public sealed record MeasureChange(int BaselineYear, decimal? Baseline, ImmutableSortedDictionary<int, decimal> Targets, RagRule Rule, ImmutableArray<MeasureLead> Leads, ImmutableArray<string> Partners, MeasureWording? Wording = null);

public enum MeasureOutcome
{
    Done,
    NotFound,
    Forbidden,
    Invalid,
    Conflict,
}

/// <summary>How a request about a measure went; <see cref="Field"/> and <see cref="Message"/> say what to put right.</summary>
public sealed record MeasureResult(MeasureOutcome Outcome, string? Field = null, string? Message = null)
{
    public static MeasureResult Done { get; } = new(MeasureOutcome.Done);

    public static MeasureResult Invalid(string field, string message) => new(MeasureOutcome.Invalid, field, message);
}

/// <summary>
/// The partnership's outcome framework: the overview, one measure in full, a lead's quarterly figure and a
/// coordinator's change to a measure. Every request is checked whole before anything is written.
/// </summary>
public sealed class OutcomeFramework(OutcomeStore store, BidIndexProjection index, UserDirectory users, WorkingCalendar calendar, TimeProvider clock)
{
    public const int MaxComment = 2000;

    private DateOnly Today => calendar.LocalDate(clock.GetUtcNow());

    public async Task<IReadOnlyList<MeasureOverview>> OverviewAsync(CancellationToken cancellationToken)
    {
        var measures = await store.ListAsync(cancellationToken);
        var values = await store.AllValuesAsync(cancellationToken);
        var ladder = await store.LadderAsync(cancellationToken);
        return
        [
            .. measures.Select(m =>
            {
                var reported = values[m.Id].ToList();
                return new MeasureOverview(
                    m, MeasureProgress.Years(m, reported), reported.MaxBy(v => v.Quarter, StringComparer.Ordinal),
                    MeasureReminders.Due(m, reported, ladder, calendar, Today).LastOrDefault(r => r.Step > 0));
            }),
        ];
    }

    public async Task<MeasureDetail?> DetailAsync(string measureId, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(measureId, cancellationToken) is not { } stored)
        {
            return null;
        }

        var values = await store.ValuesAsync(measureId, cancellationToken);
        var replaced = await store.ReplacedAsync(measureId, cancellationToken);
        var projects = (await index.ListAsync(null, null, null, cancellationToken))
            .Where(b => b.Grant?.ContributesTo?.Contains(measureId, StringComparer.Ordinal) == true)
            .Select(b => new ContributingProject(b.BidId, b.Title, b.OrganisationId, b.Stage))
            .ToList();
        var names = (await users.ListAsync(cancellationToken)).ToDictionary(u => u.Id, u => u.DisplayName, StringComparer.Ordinal);
        return new MeasureDetail(stored, MeasureProgress.Years(stored.Measure, values), values, replaced, Reportable(stored.Measure), projects, names);
    }

    /// <summary>The quarters a figure can be given for: from the measure's first to the last one ended.</summary>
    public IReadOnlyList<FinancialQuarter> Reportable(PartnershipMeasure measure)
    {
        ArgumentNullException.ThrowIfNull(measure);
        var quarters = new List<FinancialQuarter>();
        for (var quarter = measure.ReportingFrom; quarter.End < Today && quarters.Count < 400; quarter = quarter.Following())
        {
            quarters.Add(quarter);
        }

        quarters.Reverse();
        return quarters;
    }

    /// <summary>
    /// A coordinator adds a measure, numbered after the highest there is (as the paper numbers them), with no targets
    /// or leads yet; two added at once get a number each.
    /// </summary>
    public async Task<(MeasureResult Result, string? MeasureId)> AddAsync(Actor actor, MeasureWording wording, int baselineYear, string? reportingFrom, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(wording);
        if (actor.Role != Role.Coordinator)
        {
            return (new(MeasureOutcome.Forbidden, null, "Only coordinators change the outcome framework."), null);
        }

        if (!FinancialQuarter.TryParse(reportingFrom, out var first))
        {
            return (MeasureResult.Invalid("reportingFrom", "Choose the first quarter the measure is reported for."), null);
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            var next = (await store.ListAsync(cancellationToken)).Select(m => m.Number).DefaultIfEmpty(0).Max() + 1;
            var measure = new PartnershipMeasure(
                $"OM{next}", wording.Priority.Trim(), wording.Outcome.Trim(), wording.Title.Trim(), wording.Description.Trim(), [], [],
                baselineYear, null, ImmutableSortedDictionary<int, decimal>.Empty, RagRule.Default, first);
            if (wording.Problem() is { } wrong)
            {
                return (MeasureResult.Invalid(wrong.Field, wrong.Message), null);
            }

            if (measure.Problem() is { } problem)
            {
                return (MeasureResult.Invalid("baselineYear", problem), null);
            }

            if (await store.AddAsync(measure, cancellationToken))
            {
                return (MeasureResult.Done, measure.Id);
            }
        }

        return (new(MeasureOutcome.Conflict, null, "Other measures were being added at the same moment; add this one again."), null);
    }

    /// <summary>The measure's leads, and coordinators on their behalf, record a quarter's figure.</summary>
    public static bool MayRecord(Actor actor, PartnershipMeasure measure)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(measure);
        return actor.Role == Role.Coordinator || measure.IsLedBy(actor.UserId);
    }

    public async Task<MeasureResult> RecordAsync(Actor actor, string measureId, string? quarter, decimal? value, string? comment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (await store.FindAsync(measureId, cancellationToken) is not { } stored)
        {
            return new(MeasureOutcome.NotFound);
        }

        if (!MayRecord(actor, stored.Measure))
        {
            return new(MeasureOutcome.Forbidden, null, "Only the measure's leads, and coordinators, record its figures.");
        }

        if (!FinancialQuarter.TryParse(quarter, out var period) || !Reportable(stored.Measure).Contains(period))
        {
            return MeasureResult.Invalid("quarter", "Choose a quarter that has ended since the measure's reporting began.");
        }

        if (value is not { } figure)
        {
            return MeasureResult.Invalid("value", "Enter the quarter's figure, as a number.");
        }

        if (!MeasureValue.IsFigure(figure))
        {
            return MeasureResult.Invalid("value", MeasureValue.FigureRule);
        }

        var text = (comment ?? "").Trim();
        if (FreeText.Problem(text, MaxComment) is { } problem)
        {
            return MeasureResult.Invalid("comment", problem);
        }

        await store.RecordAsync(measureId, new MeasureValue(period.Key, figure, text, actor.UserId, clock.GetUtcNow()), cancellationToken);
        return MeasureResult.Done;
    }

    /// <summary>The version's tag without the weak marker, which HTTP clients drop when they send it back in If-Match.</summary>
    private static string Opaque(Azure.ETag version) => version.ToString().StartsWith("W/", StringComparison.Ordinal) ? version.ToString()[2..] : version.ToString();

    /// <summary>A coordinator changes a measure as it stood when they read it; a change made meanwhile is not overwritten.</summary>
    public async Task<MeasureResult> ChangeAsync(Actor actor, string measureId, MeasureChange change, Azure.ETag? readVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(change);
        if (actor.Role != Role.Coordinator)
        {
            return new(MeasureOutcome.Forbidden, null, "Only coordinators change the outcome framework.");
        }

        if (await store.FindAsync(measureId, cancellationToken) is not { } stored)
        {
            return new(MeasureOutcome.NotFound);
        }

        if (readVersion is { } version && Opaque(version) != Opaque(stored.Version))
        {
            return new(MeasureOutcome.Conflict, null, "Somebody changed this measure after you opened it. It is shown as it stands now; make your change again.");
        }

        var wording = change.Wording ?? new MeasureWording(stored.Measure.Priority, stored.Measure.Outcome, stored.Measure.Title, stored.Measure.Description);
        if (wording.Problem() is { } wrong)
        {
            return MeasureResult.Invalid(wrong.Field, wrong.Message);
        }

        var changed = stored.Measure with
        {
            Priority = wording.Priority.Trim(), Outcome = wording.Outcome.Trim(), Title = wording.Title.Trim(), Description = wording.Description.Trim(),
            BaselineYear = change.BaselineYear, Baseline = change.Baseline, Targets = change.Targets, Rule = change.Rule,
            Leads = change.Leads.IsDefault ? stored.Measure.Leads : change.Leads, Partners = change.Partners.IsDefault ? stored.Measure.Partners : change.Partners,
        };
        if (changed.Problem() is { } problem)
        {
            return MeasureResult.Invalid("measure", problem);
        }

        var known = (await users.ListAsync(cancellationToken)).Where(u => u.Role != Role.Applicant).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        if (changed.Leads.FirstOrDefault(l => l.UserId is { } id && !known.Contains(id)) is { } stranger)
        {
            return MeasureResult.Invalid("leads", $"{stranger.Name} is not a member of staff or a lead in the directory; name a partner without choosing a person.");
        }

        return await store.ReplaceAsync(changed, stored.Version, cancellationToken)
            ? MeasureResult.Done
            : new(MeasureOutcome.Conflict, null, "Somebody changed this measure at the same moment. It is shown as it stands now; make your change again.");
    }
}

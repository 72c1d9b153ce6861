using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Partnership.Functions.Identity;
using Partnership.Functions.Outcomes;
using Partnership.Workflows;
using Partnership.Workflows.Grants;
using Partnership.Workflows.Outcomes;

namespace Partnership.Functions.Seeding;

/// <summary>
/// Loads Appendix 4 of the October 2011 progress report: the nineteen measures with their leads, each lead a person
/// who signs in to give figures, moved forward by the same whole years as the rest of the demo. A measure or figure
/// already there is left as it is, so seeding again undoes nothing a coordinator or lead has done.
/// </summary>
public sealed class OutcomeSeeder(OutcomeStore store, UserDirectory users)
{
    public async Task SeedAsync(int years, CancellationToken cancellationToken)
    {
        var data = Load();
        foreach (var lead in data.Leads)
        {
            await users.AddIfAbsentAsync(new AppUser(lead.Id, lead.DisplayName, lead.Email, Role.OutcomeLead, null), cancellationToken);
        }

        FinancialQuarter Shift(string quarter) => FinancialQuarter.Parse(quarter) is var q ? new FinancialQuarter(q.Year + years, q.Number) : default;
        foreach (var m in data.Measures)
        {
            var measure = new PartnershipMeasure(
                m.Id, m.Priority, m.Outcome, m.Title, m.Description, [.. m.Partners], [.. m.Leads],
                m.BaselineYear + years, m.Baseline,
                m.Targets.ToImmutableSortedDictionary(t => int.Parse(t.Key, CultureInfo.InvariantCulture) + years, t => t.Value),
                new RagRule(m.Direction, m.YearFigure, m.AmberMarginPercent), Shift(m.ReportingFrom));
            if (measure.Problem() is { } problem)
            {
                throw new InvalidOperationException($"The demo's {m.Id}: {problem}");
            }

            // A measure seeded before is left as it is: a coordinator may have changed it since.
            await store.AddAsync(measure, cancellationToken);
            var given = (await store.ValuesAsync(m.Id, cancellationToken)).Select(v => v.Quarter).ToHashSet(StringComparer.Ordinal);
            foreach (var value in m.Values.Select(v => v with { Quarter = Shift(v.Quarter).Key }).Where(v => !given.Contains(v.Quarter)))
            {
                var on = DateOnly.Parse(value.On, CultureInfo.InvariantCulture).AddYears(years);
                await store.RecordAsync(m.Id, new MeasureValue(value.Quarter, value.Value, value.Comment, value.By, new DateTimeOffset(on.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero)), cancellationToken);
            }
        }
    }

    private static DemoFramework Load()
    {
        using var stream = Infrastructure.EmbeddedData.Open("outcome-framework.json");
        return JsonSerializer.Deserialize<DemoFramework>(stream, Infrastructure.WorkflowJson.Options) ?? throw new InvalidOperationException("The demo outcome framework is empty.");
    }
}

internal sealed record DemoFramework(List<DemoLead> Leads, List<DemoMeasure> Measures);

internal sealed record DemoLead(string Id, string DisplayName, string Email);

internal sealed record DemoMeasure(
    string Id, string Priority, string Outcome, string Title, string Description, List<string> Partners, List<MeasureLead> Leads,
    int BaselineYear, decimal? Baseline, Dictionary<string, decimal> Targets, Direction Direction, YearFigure YearFigure, decimal AmberMarginPercent,
    string ReportingFrom, List<DemoMeasureValue> Values);

internal sealed record DemoMeasureValue(string Quarter, decimal Value, string Comment, string By, string On);

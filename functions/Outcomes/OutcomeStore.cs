using System.Collections.Immutable;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows.Grants;
using Partnership.Workflows.Outcomes;

namespace Partnership.Functions.Outcomes;

/// <summary>A measure as stored, with the version a change must match so two coordinators editing at once cannot undo each other.</summary>
public sealed record StoredMeasure(PartnershipMeasure Measure, ETag Version);

/// <summary>
/// The outcome framework in Table Storage: one row per measure, and under each measure's own partition the figure
/// for each quarter, with every figure a later one replaced kept beside it for the audit trail.
/// </summary>
public sealed class OutcomeStore(Storage storage)
{
    private const string Measures = "measure";

    /// <summary>The framework's own settings: one row, its reminder ladder.</summary>
    private const string Settings = "settings";

    public async Task<IReadOnlyList<PartnershipMeasure>> ListAsync(CancellationToken cancellationToken)
    {
        var measures = new List<PartnershipMeasure>();
        await foreach (var entity in storage.Outcomes.QueryAsync<TableEntity>(e => e.PartitionKey == Measures, cancellationToken: cancellationToken))
        {
            measures.Add(ToMeasure(entity));
        }

        return [.. measures.OrderBy(m => m.Number)];
    }

    public async Task<StoredMeasure?> FindAsync(string measureId, CancellationToken cancellationToken)
    {
        var response = await storage.Outcomes.GetEntityIfExistsAsync<TableEntity>(Measures, measureId, cancellationToken: cancellationToken);
        return response is { HasValue: true, Value: { } entity } ? new StoredMeasure(ToMeasure(entity), entity.ETag) : null;
    }

    /// <summary>Adds a new measure; false if its id was taken meanwhile.</summary>
    public async Task<bool> AddAsync(PartnershipMeasure measure, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Outcomes.AddEntityAsync(ToEntity(measure), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces the measure if it is still at <paramref name="version"/>; false if somebody changed it meanwhile.</summary>
    public async Task<bool> ReplaceAsync(PartnershipMeasure measure, ETag version, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Outcomes.UpdateEntityAsync(ToEntity(measure), version, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<MeasureValue>> ValuesAsync(string measureId, CancellationToken cancellationToken)
    {
        var values = new List<MeasureValue>();
        await foreach (var entity in storage.Outcomes.QueryAsync<TableEntity>(e => e.PartitionKey == ValuePartition(measureId), cancellationToken: cancellationToken))
        {
            values.Add(ToValue(entity));
        }

        return [.. values.OrderBy(v => v.Quarter, StringComparer.Ordinal)];
    }

    /// <summary>Every measure's figures, for the framework's overview: one query, however many measures.</summary>
    public async Task<ILookup<string, MeasureValue>> AllValuesAsync(CancellationToken cancellationToken)
    {
        var values = new List<(string MeasureId, MeasureValue Value)>();
        await foreach (var entity in storage.Outcomes.QueryAsync<TableEntity>(
            e => e.PartitionKey.CompareTo("value|") > 0 && e.PartitionKey.CompareTo("value}") < 0, cancellationToken: cancellationToken))
        {
            values.Add((entity.PartitionKey["value|".Length..], ToValue(entity)));
        }

        return values.OrderBy(v => v.Value.Quarter, StringComparer.Ordinal).ToLookup(v => v.MeasureId, v => v.Value, StringComparer.Ordinal);
    }

    /// <summary>The figures a quarter had before its latest, newest first.</summary>
    public async Task<IReadOnlyList<MeasureValue>> ReplacedAsync(string measureId, CancellationToken cancellationToken)
    {
        var values = new List<MeasureValue>();
        await foreach (var entity in storage.Outcomes.QueryAsync<TableEntity>(e => e.PartitionKey == HistoryPartition(measureId), cancellationToken: cancellationToken))
        {
            values.Add(ToValue(entity));
        }

        return [.. values.OrderByDescending(v => v.RecordedAt)];
    }

    /// <summary>Records a quarter's figure; a figure already there is kept in the history first, so nothing reported is lost.</summary>
    public async Task RecordAsync(string measureId, MeasureValue value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        var existing = await storage.Outcomes.GetEntityIfExistsAsync<TableEntity>(ValuePartition(measureId), value.Quarter, cancellationToken: cancellationToken);
        if (existing is { HasValue: true, Value: { } before })
        {
            var replaced = ToValue(before);
            await storage.Outcomes.UpsertEntityAsync(
                ToEntity(HistoryPartition(measureId), string.Create(CultureInfo.InvariantCulture, $"{replaced.Quarter}|{replaced.RecordedAt.UtcTicks:D19}"), replaced),
                TableUpdateMode.Replace, cancellationToken);
        }

        await storage.Outcomes.UpsertEntityAsync(ToEntity(ValuePartition(measureId), value.Quarter, value), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The ladder leads are chased on: the quarterly returns' own until a coordinator sets the framework's.</summary>
    public async Task<MonitoringSettings> LadderAsync(CancellationToken cancellationToken)
    {
        var row = await storage.Outcomes.GetEntityIfExistsAsync<TableEntity>(Settings, "ladder", cancellationToken: cancellationToken);
        return row is { HasValue: true, Value: { } entity } ? WorkflowJson.Deserialize<MonitoringSettings>(entity.GetString("Ladder")) : MonitoringSettings.Defaults;
    }

    public Task SaveLadderAsync(MonitoringSettings ladder, CancellationToken cancellationToken) =>
        storage.Outcomes.UpsertEntityAsync(new TableEntity(Settings, "ladder") { ["Ladder"] = WorkflowJson.Serialize(ladder) }, TableUpdateMode.Replace, cancellationToken);

    private static string ValuePartition(string measureId) => $"value|{measureId}";

    private static string HistoryPartition(string measureId) => $"history|{measureId}";

    private static TableEntity ToEntity(PartnershipMeasure m) => new(Measures, m.Id)
    {
        ["Priority"] = m.Priority,
        ["Outcome"] = m.Outcome,
        ["Title"] = m.Title,
        ["Description"] = m.Description,
        ["Partners"] = WorkflowJson.Serialize(m.Partners),
        ["Leads"] = WorkflowJson.Serialize(m.Leads),
        ["BaselineYear"] = m.BaselineYear,
        ["Baseline"] = m.Baseline?.ToString(CultureInfo.InvariantCulture),
        ["Targets"] = WorkflowJson.Serialize(m.Targets.ToDictionary(t => t.Key.ToString(CultureInfo.InvariantCulture), t => t.Value)),
        ["Direction"] = m.Rule.Direction.ToString(),
        ["YearFigure"] = m.Rule.YearFigure.ToString(),
        ["AmberMarginPercent"] = m.Rule.AmberMarginPercent.ToString(CultureInfo.InvariantCulture),
        ["ReportingFrom"] = m.ReportingFrom.Key,
    };

    private static PartnershipMeasure ToMeasure(TableEntity e) => new(
        e.RowKey,
        e.GetString("Priority"),
        e.GetString("Outcome"),
        e.GetString("Title"),
        e.GetString("Description") ?? "",
        WorkflowJson.Deserialize<ImmutableArray<string>>(e.GetString("Partners")),
        WorkflowJson.Deserialize<ImmutableArray<MeasureLead>>(e.GetString("Leads")),
        e.GetInt32("BaselineYear") ?? 0,
        e.GetString("Baseline") is { } baseline ? decimal.Parse(baseline, CultureInfo.InvariantCulture) : null,
        WorkflowJson.Deserialize<Dictionary<string, decimal>>(e.GetString("Targets"))
            .ToImmutableSortedDictionary(t => int.Parse(t.Key, CultureInfo.InvariantCulture), t => t.Value),
        new RagRule(
            Enum.Parse<Direction>(e.GetString("Direction")),
            Enum.Parse<YearFigure>(e.GetString("YearFigure")),
            decimal.Parse(e.GetString("AmberMarginPercent"), CultureInfo.InvariantCulture)),
        FinancialQuarter.Parse(e.GetString("ReportingFrom")));

    private static TableEntity ToEntity(string partition, string row, MeasureValue v) => new(partition, row)
    {
        ["Quarter"] = v.Quarter,
        ["Value"] = v.Value.ToString(CultureInfo.InvariantCulture),
        ["Comment"] = v.Comment,
        ["RecordedBy"] = v.RecordedBy,
        ["RecordedAt"] = v.RecordedAt,
    };

    private static MeasureValue ToValue(TableEntity e) => new(
        e.GetString("Quarter"),
        decimal.Parse(e.GetString("Value"), CultureInfo.InvariantCulture),
        e.GetString("Comment") ?? "",
        e.GetString("RecordedBy"),
        e.GetDateTimeOffset("RecordedAt")!.Value);
}

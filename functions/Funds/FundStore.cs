using System.Collections.Concurrent;
using System.Collections.Immutable;
using Azure;
using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Decisions;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Funds;

public sealed record Fund(string Id, string Name, string Description, FundDeadlines Deadlines, MonitoringSettings Monitoring)
{
    /// <summary>The partnership priorities a bid to this fund says it supports; the four of the papers unless the fund keeps its own.</summary>
    public IReadOnlyList<string> Priorities { get; init; } = PartnershipPriorities.Defaults;

    /// <summary>HCE and the Board as the coordinator has named them for this fund; a body not named is everyone in the directory with its role.</summary>
    public ImmutableDictionary<BodyKind, DecisionBody> Bodies { get; init; } = ImmutableDictionary<BodyKind, DecisionBody>.Empty;

    public Fund(string id, string name, string description, FundDeadlines deadlines)
        : this(id, name, description, deadlines, MonitoringSettings.Defaults)
    {
    }
}

/// <summary>Funds and their per-stage deadlines, one row each under "fund".</summary>
public sealed class FundStore(Storage storage, WorkingCalendar calendar)
{
    private const string FundPartition = "fund";
    private readonly ConcurrentDictionary<string, Fund> _cache = new();

    public async Task<Fund?> FindAsync(string fundId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(fundId, out var cached))
        {
            return cached;
        }

        var response = await storage.Funds.GetEntityIfExistsAsync<TableEntity>(FundPartition, fundId, cancellationToken: cancellationToken);
        if (response is not { HasValue: true, Value: { } entity })
        {
            return null;
        }

        var fund = ToFund(entity);
        _cache[fundId] = fund;
        return fund;
    }

    public async Task<IReadOnlyList<Fund>> ListAsync(CancellationToken cancellationToken)
    {
        var funds = new List<Fund>();
        await foreach (var entity in storage.Funds.QueryAsync<TableEntity>(e => e.PartitionKey == FundPartition, cancellationToken: cancellationToken))
        {
            funds.Add(ToFund(entity));
        }

        return funds;
    }

    public async Task<BidWorkflowSettings> SettingsForAsync(string fundId, CancellationToken cancellationToken)
    {
        var fund = await FindAsync(fundId, cancellationToken) ?? throw new InvalidOperationException($"Fund {fundId} does not exist.");
        return new BidWorkflowSettings(fund.Deadlines, calendar, fund.Monitoring);
    }

    public async Task SaveAsync(Fund fund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fund);
        await storage.Funds.UpsertEntityAsync(new TableEntity(FundPartition, fund.Id)
        {
            ["Name"] = fund.Name,
            ["Description"] = fund.Description,
            ["Deadlines"] = WorkflowJson.Serialize(fund.Deadlines.Stages),
            ["Monitoring"] = WorkflowJson.Serialize(fund.Monitoring),
            ["Priorities"] = WorkflowJson.Serialize(fund.Priorities),
            ["Bodies"] = WorkflowJson.Serialize(fund.Bodies),
        }, TableUpdateMode.Replace, cancellationToken);
        _cache[fund.Id] = fund;
    }

    private static Fund ToFund(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString("Name"),
        entity.GetString("Description") ?? "",
        new FundDeadlines(ImmutableDictionary.CreateRange(WorkflowJson.Deserialize<Dictionary<BidStage, StageDeadline>>(entity.GetString("Deadlines")))),
        entity.GetString("Monitoring") is { } monitoring ? WorkflowJson.Deserialize<MonitoringSettings>(monitoring) : MonitoringSettings.Defaults)
    {
        Priorities = entity.GetString("Priorities") is { } priorities ? WorkflowJson.Deserialize<List<string>>(priorities) : PartnershipPriorities.Defaults,
        Bodies = entity.GetString("Bodies") is { } bodies ? WorkflowJson.Deserialize<ImmutableDictionary<BodyKind, DecisionBody>>(bodies) : ImmutableDictionary<BodyKind, DecisionBody>.Empty,
    };
}

using System.Collections.Concurrent;
using System.Collections.Immutable;
using Azure;
using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Funds;

public sealed record Fund(string Id, string Name, string Description, FundDeadlines Deadlines);

/// <summary>A ring-fenced amount within a budget line, such as the £60,000 capital held for community premises.</summary>
public sealed record SetAside(string Purpose, Funding Amount);

public sealed record BudgetLine(string Id, string FundId, string Name, string FinancialYear, Funding Total, IReadOnlyList<SetAside> SetAsides)
{
    public Funding SetAsideTotal => SetAsides.Aggregate(Funding.Zero, (sum, s) => sum + s.Amount);

    public Funding Unallocated => new(Total.Revenue - SetAsideTotal.Revenue, Total.Capital - SetAsideTotal.Capital);
}

/// <summary>Funds, their per-stage deadlines and their budget lines. The fund row lives under "fund"; lines under the fund's id.</summary>
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
        return new BidWorkflowSettings(fund.Deadlines, calendar);
    }

    public async Task SaveAsync(Fund fund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fund);
        await storage.Funds.UpsertEntityAsync(new TableEntity(FundPartition, fund.Id)
        {
            ["Name"] = fund.Name,
            ["Description"] = fund.Description,
            ["Deadlines"] = WorkflowJson.Serialize(fund.Deadlines.Stages),
        }, TableUpdateMode.Replace, cancellationToken);
        _cache[fund.Id] = fund;
    }

    public async Task SaveLineAsync(BudgetLine line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        await storage.Funds.UpsertEntityAsync(new TableEntity(line.FundId, $"line-{line.Id}")
        {
            ["Name"] = line.Name,
            ["FinancialYear"] = line.FinancialYear,
            ["Revenue"] = MoneyColumns.Write(line.Total.Revenue),
            ["Capital"] = MoneyColumns.Write(line.Total.Capital),
            ["SetAsides"] = WorkflowJson.Serialize(line.SetAsides),
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<BudgetLine>> LinesAsync(string fundId, CancellationToken cancellationToken)
    {
        var lines = new List<BudgetLine>();
        await foreach (var e in storage.Funds.QueryAsync<TableEntity>(
            e => e.PartitionKey == fundId && e.RowKey.CompareTo("line-") >= 0 && e.RowKey.CompareTo("line.") < 0, cancellationToken: cancellationToken))
        {
            lines.Add(new BudgetLine(
                e.RowKey[5..], fundId, e.GetString("Name"), e.GetString("FinancialYear"),
                new Funding(MoneyColumns.Read(e, "Revenue"), MoneyColumns.Read(e, "Capital")),
                WorkflowJson.Deserialize<List<SetAside>>(e.GetString("SetAsides"))));
        }

        return lines;
    }

    private static Fund ToFund(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString("Name"),
        entity.GetString("Description") ?? "",
        new FundDeadlines(ImmutableDictionary.CreateRange(WorkflowJson.Deserialize<Dictionary<BidStage, StageDeadline>>(entity.GetString("Deadlines")))));
}

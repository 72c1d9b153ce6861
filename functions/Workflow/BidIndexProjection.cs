using Azure;
using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Workflow;

public sealed record BidSummary(
    string BidId,
    string FundId,
    string OrganisationId,
    string Title,
    BidStage Stage,
    Funding Requested,
    Funding? Approved,
    DateTimeOffset? DecisionDueAt,
    int Version,
    DateTimeOffset UpdatedAt,
    GrantSnapshot? Grant)
{
    /// <summary>When the bid entered its stage, for how long it has waited there.</summary>
    public DateTimeOffset? StageEnteredAt { get; init; }
}

/// <summary>What the coordinators' views need of a funded grant, kept with the bid's row in the list read model.</summary>
public sealed record GrantSnapshot(
    string? BudgetLineId,
    DateTimeOffset? ContractSentAt,
    DateTimeOffset? SignedContractReturnedAt,
    DateTimeOffset? ContractAcceptedAt,
    string? PurchaseOrderNumber,
    Funding SpendToDate,
    Funding Paid,
    IReadOnlyList<ReturnSnapshot> Returns,
    IReadOnlyList<string>? ContributesTo = null)
{
    public static GrantSnapshot? From(BidState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.ApprovedAmount is null ? null : new GrantSnapshot(
            state.BudgetLineId,
            state.ContractSentAt,
            state.SignedContractDocumentId is { } signed ? state.LatestVersionOf(signed)?.UploadedAt : null,
            state.ContractAcceptedAt,
            state.PurchaseOrder?.Number,
            state.SpendToDate(),
            state.Paid,
            [.. state.Returns.Select(r => new ReturnSnapshot(
                r.Quarter, r.DueOn, r.IsFinal, r.Status, r.Report?.ActualSpend, r.Report?.Forecasts ?? [], r.Report?.IdentifiedUnderspend,
                r.SubmittedAt, r.LastReminderAt, r.RemindersSent, r.Escalation))],
            [.. (state.Proposal.Case?.Outcomes ?? []).Select(o => o.ContributesTo).OfType<string>().Distinct(StringComparer.Ordinal)]);
    }
}

public sealed record ReturnSnapshot(
    string Quarter,
    DateOnly DueOn,
    bool IsFinal,
    ReturnStatus Status,
    Funding? ActualSpend,
    IReadOnlyList<QuarterForecast> Forecasts,
    Funding? IdentifiedUnderspend,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? LastReminderAt,
    int RemindersSent,
    ReturnEscalation Escalation)
{
    public bool IsReceived => Status is ReturnStatus.Submitted or ReturnStatus.Accepted;
}

/// <summary>
/// The bid list read model: one small row per bid under its fund, so lists and dashboards never read bid partitions.
/// Amounts are stored as invariant decimal strings because Table Storage numbers are doubles.
/// </summary>
public sealed class BidIndexProjection(Storage storage, TimeProvider clock)
{
    /// <summary>Rebuilds the read model from every bid's recorded state, replacing whatever rows were there.</summary>
    public async Task<int> RebuildAsync(CancellationToken cancellationToken)
    {
        var rebuilt = 0;
        await foreach (var row in storage.Bids.QueryAsync<TableEntity>("RowKey eq 'state'", cancellationToken: cancellationToken))
        {
            await storage.BidIndex.UpsertEntityAsync(ToEntity(BidRepository.ReadState(row)), TableUpdateMode.Replace, cancellationToken);
            rebuilt++;
        }

        return rebuilt;
    }

    public async Task ProjectAsync(BidState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var existing = await storage.BidIndex.GetEntityIfExistsAsync<TableEntity>(state.FundId, state.BidId, cancellationToken: cancellationToken);
            var current = existing is { HasValue: true, Value: { } row } ? row : null;
            if (current?.GetInt32("Version") >= state.Version)
            {
                return;
            }

            var entity = ToEntity(state);
            try
            {
                if (current is null)
                {
                    await storage.BidIndex.AddEntityAsync(entity, cancellationToken);
                }
                else
                {
                    await storage.BidIndex.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // A projection of another version landed in between; look again and keep whichever is newer.
            }
        }
    }

    public async Task<IReadOnlyList<BidSummary>> ListAsync(string? fundId, string? organisationId, BidStage? stage, CancellationToken cancellationToken)
    {
        var filters = new List<string>();
        if (fundId is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {fundId}"));
        }

        if (organisationId is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"OrganisationId eq {organisationId}"));
        }

        if (stage is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"Stage eq {stage.ToString()}"));
        }

        var results = new List<BidSummary>();
        await foreach (var row in storage.BidIndex.QueryAsync<TableEntity>(filters.Count == 0 ? null : string.Join(" and ", filters), cancellationToken: cancellationToken))
        {
            results.Add(new BidSummary(
                row.RowKey,
                row.PartitionKey,
                row.GetString("OrganisationId"),
                row.GetString("Title"),
                Enum.Parse<BidStage>(row.GetString("Stage")),
                new Funding(MoneyColumns.Read(row, "RequestedRevenue"), MoneyColumns.Read(row, "RequestedCapital")),
                row.GetString("ApprovedRevenue") is null ? null : new Funding(MoneyColumns.Read(row, "ApprovedRevenue"), MoneyColumns.Read(row, "ApprovedCapital")),
                row.GetDateTimeOffset("DecisionDueAt"),
                row.GetInt32("Version") ?? 0,
                row.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
                row.GetString("Grant") is { } grant ? WorkflowJson.Deserialize<GrantSnapshot>(grant) : null)
            {
                StageEnteredAt = row.GetDateTimeOffset("StageEnteredAt"),
            });
        }

        return [.. results.OrderBy(r => r.Title, StringComparer.OrdinalIgnoreCase)];
    }

    private TableEntity ToEntity(BidState state) => new(state.FundId, state.BidId)
    {
        ["OrganisationId"] = state.OrganisationId,
        ["Title"] = state.Proposal.Title,
        ["Stage"] = state.Stage.ToString(),
        ["RequestedRevenue"] = MoneyColumns.Write(state.Proposal.Requested.Revenue),
        ["RequestedCapital"] = MoneyColumns.Write(state.Proposal.Requested.Capital),
        ["ApprovedRevenue"] = state.ApprovedAmount is null ? null : MoneyColumns.Write(state.ApprovedAmount.Revenue),
        ["ApprovedCapital"] = state.ApprovedAmount is null ? null : MoneyColumns.Write(state.ApprovedAmount.Capital),
        ["DecisionDueAt"] = state.DecisionDueAt,
        ["StageEnteredAt"] = state.StageEnteredAt == default ? null : state.StageEnteredAt,
        ["Version"] = state.Version,
        ["UpdatedAt"] = clock.GetUtcNow(),
        ["Grant"] = GrantSnapshot.From(state) is { } grant ? WorkflowJson.Serialize(grant) : null,
    };
}

using System.Collections.Immutable;
using Azure;
using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Budgets;

namespace Partnership.Functions.Budgets;

/// <summary>
/// Budget lines in Table Storage, one partition per line: the line row (totals, set-asides and every bid's
/// allocation, guarded by its ETag) and one row per money move. A move is written in the same batch as the line it
/// changes, so the line can never be taken below zero however many approvals race for it. A bid's orchestration
/// moves the money before it records the step and records the step whatever happens after, so a move is never
/// left without its step; the move's row, keyed by the bid, version and command, makes moving it again a no-op.
/// </summary>
public sealed partial class BudgetLedger(Storage storage, TimeProvider clock, ILogger<BudgetLedger> logger)
{
    private const string LineRow = "line";
    private const int MaxAttempts = 400;

    public async Task<BudgetLine?> FindAsync(string lineId, CancellationToken cancellationToken) =>
        (await LoadAsync(lineId, cancellationToken))?.Line;

    public async Task<IReadOnlyList<BudgetLine>> LinesAsync(string? fundId, CancellationToken cancellationToken)
    {
        var filter = fundId is null ? $"RowKey eq '{LineRow}'" : TableClient.CreateQueryFilter($"RowKey eq {LineRow} and FundId eq {fundId}");
        var lines = new List<BudgetLine>();
        await foreach (var row in storage.Budgets.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var line = ToLine(row);
            if (IsSound(line))
            {
                lines.Add(line);
            }
            else
            {
                LogUnsoundLine(logger, line.Id);
            }
        }

        return [.. lines.OrderBy(l => l.FinancialYear, StringComparer.Ordinal).ThenBy(l => l.Name, StringComparer.Ordinal)];
    }

    /// <summary>Creates a line, or does nothing if it exists (allocations are never overwritten); answers with the line as stored.</summary>
    public async Task<BudgetLine> AddLineAsync(BudgetLine line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);
        try
        {
            await storage.Budgets.AddEntityAsync(ToEntity(line), cancellationToken);
            return line;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return (await FindAsync(line.Id, cancellationToken))!;
        }
    }

    /// <summary>Applies every move for one bid version, or none: a refusal part-way reverses what was already applied.</summary>
    public async Task<string?> ApplyAsync(string bidId, int version, string commandKey, IReadOnlyList<BudgetMove> moves, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(moves);
        var applied = new List<BudgetMove>();
        foreach (var move in moves)
        {
            if (await ApplyOneAsync(bidId, version, commandKey, move, cancellationToken) is { } refusal)
            {
                await ReverseAsync(bidId, version, commandKey, applied, cancellationToken);
                return refusal;
            }

            applied.Add(move);
        }

        return null;
    }

    private async Task ReverseAsync(string bidId, int version, string commandKey, IEnumerable<BudgetMove> moves, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(moves);
        foreach (var lineId in moves.Select(m => m.LineId).Distinct())
        {
            await ReverseOneAsync(lineId, MoveRow(bidId, version, commandKey), cancellationToken);
        }
    }

    /// <summary>
    /// Whether every figure on a stored line is within what the system accepts, so that its totals can be added up;
    /// a line stored before the ceiling existed may not be, and is left out of every list rather than break it.
    /// </summary>
    internal static bool IsSound(BudgetLine line) =>
        line.Total.IsWithinCeiling() && line.SetAsides.Count <= 100 && line.SetAsides.All(a => a.Amount.IsWithinCeiling())
        && line.Allocations.Values.All(a => a.IsWithinCeiling());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Budget line {LineId} holds figures beyond what the system accepts; it is left out of lists and reports until a coordinator corrects it")]
    private static partial void LogUnsoundLine(ILogger logger, string lineId);

    private async Task<string?> ApplyOneAsync(string bidId, int version, string commandKey, BudgetMove move, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var loaded = await LoadAsync(move.LineId, cancellationToken);
            if (loaded is null)
            {
                return $"There is no budget line '{move.LineId}'.";
            }

            switch (loaded.Value.Line.Adjust(bidId, move.Change))
            {
                case BudgetRefused refused:
                    return refused.Reason;
                case BudgetAdjusted adjusted:
                    try
                    {
                        await storage.Budgets.SubmitTransactionAsync(
                        [
                            new(TableTransactionActionType.UpdateReplace, ToEntity(adjusted.Line), loaded.Value.ETag),
                            new(TableTransactionActionType.Add, new TableEntity(move.LineId, MoveRow(bidId, version, commandKey))
                            {
                                ["BidId"] = bidId,
                                ["Version"] = version,
                                ["CommandKey"] = commandKey,
                                ["Revenue"] = MoneyColumns.Write(move.Change.Revenue),
                                ["Capital"] = MoneyColumns.Write(move.Change.Capital),
                                ["At"] = clock.GetUtcNow(),
                            }),
                        ], cancellationToken);
                        return null;
                    }
                    catch (TableTransactionFailedException e) when (e.Status == 412)
                    {
                        await Task.Delay(Random.Shared.Next(1, 10 + attempt), cancellationToken);
                    }
                    catch (TableTransactionFailedException e) when (e.Status == 409)
                    {
                        // This very command moved this money already (a retry after a lost answer).
                        return null;
                    }

                    break;
            }
        }

        throw new InvalidOperationException($"Budget line {move.LineId} stayed too busy to change.");
    }

    private async Task ReverseOneAsync(string lineId, string moveRowKey, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var moveRow = await storage.Budgets.GetEntityIfExistsAsync<TableEntity>(lineId, moveRowKey, cancellationToken: cancellationToken);
            var loaded = await LoadAsync(lineId, cancellationToken);
            if (moveRow is not { HasValue: true, Value: { } move } || loaded is null)
            {
                return;
            }

            var change = new Funding(-MoneyColumns.Read(move, "Revenue"), -MoneyColumns.Read(move, "Capital"));
            if (loaded.Value.Line.Adjust(move.GetString("BidId"), change) is not BudgetAdjusted adjusted)
            {
                throw new InvalidOperationException($"Reversing move {move.RowKey} on {lineId} would leave the line inconsistent.");
            }

            try
            {
                await storage.Budgets.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.UpdateReplace, ToEntity(adjusted.Line), loaded.Value.ETag),
                    new(TableTransactionActionType.Delete, move, move.ETag),
                ], cancellationToken);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
            {
                await Task.Delay(Random.Shared.Next(1, 10 + attempt), cancellationToken);
            }
        }

        throw new InvalidOperationException($"Budget line {lineId} stayed too busy to reverse a move.");
    }

    private async Task<(BudgetLine Line, ETag ETag)?> LoadAsync(string lineId, CancellationToken cancellationToken)
    {
        var response = await storage.Budgets.GetEntityIfExistsAsync<TableEntity>(lineId, LineRow, cancellationToken: cancellationToken);
        return response is { HasValue: true, Value: { } row } ? (ToLine(row), row.ETag) : null;
    }

    /// <summary>Keyed by the command too, so two commands racing at the same bid version never share (or undo) a move.</summary>
    private static string MoveRow(string bidId, int version, string commandKey) => $"move-{bidId}-{version:D8}-{commandKey[..16]}";

    private static TableEntity ToEntity(BudgetLine line) => new(line.Id, LineRow)
    {
        ["FundId"] = line.FundId,
        ["Name"] = line.Name,
        ["FinancialYear"] = line.FinancialYear,
        ["Revenue"] = MoneyColumns.Write(line.Total.Revenue),
        ["Capital"] = MoneyColumns.Write(line.Total.Capital),
        ["SetAsides"] = WorkflowJson.Serialize(line.SetAsides),
        ["Allocations"] = WorkflowJson.Serialize(line.Allocations),
    };

    private static BudgetLine ToLine(TableEntity row) => new(
        row.PartitionKey,
        row.GetString("FundId"),
        row.GetString("Name"),
        row.GetString("FinancialYear"),
        new Funding(MoneyColumns.Read(row, "Revenue"), MoneyColumns.Read(row, "Capital")),
        WorkflowJson.Deserialize<ImmutableList<SetAside>>(row.GetString("SetAsides")),
        WorkflowJson.Deserialize<ImmutableDictionary<string, Funding>>(row.GetString("Allocations")));
}

using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Partnership.Functions.Identity;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Workflow;

/// <summary>A bid as last recorded; <paramref name="Orchestrated"/> is false for one recorded before it had an orchestration.</summary>
public sealed record BidSnapshot(BidState State, bool Orchestrated);

public sealed record StoredEvent(int Version, BidStage StageAfter, BidEvent Event);

/// <summary>One effect a step asked for, and how carrying it out has gone.</summary>
public sealed record OutboxItem(string BidId, string EffectId, Effect Effect, DateTimeOffset CreatedAt, DateTimeOffset? DoneAt, int Attempts, string? LastError, DateTimeOffset? FailedAt = null)
{
    public bool IsDone => DoneAt is not null;
}

/// <summary>
/// The bids as their orchestrations record them in Table Storage, for every view to read. One partition per bid
/// holds the current state, the append-only history, the effects with how each went, and the answered commands,
/// so that one step is one entity-group transaction, and a step recorded twice (an activity run again) is
/// recorded once.
/// </summary>
public sealed class BidRepository(Storage storage)
{
    private const string StateRow = "state";
    private const int ChunkLength = 30_000;

    public async Task<BidSnapshot?> LoadAsync(string bidId, CancellationToken cancellationToken)
    {
        var response = await storage.Bids.GetEntityIfExistsAsync<TableEntity>(bidId, StateRow, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is null)
        {
            return null;
        }

        return new BidSnapshot(ReadState(response.Value), response.Value.GetBoolean("Orchestrated") ?? false);
    }

    /// <summary>The state row's JSON, kept in chunks because a Table Storage string property holds at most 64 KiB.</summary>
    internal static BidState ReadState(TableEntity entity) =>
        WorkflowJson.Deserialize<BidState>(string.Concat(Enumerable.Range(0, entity.GetInt32("Chunks") ?? 0).Select(i => entity.GetString($"State{i}"))));

    /// <summary>The bid if <paramref name="reader"/> may read it; otherwise null, so that a bid one may not read looks like no bid.</summary>
    public async Task<BidSnapshot?> LoadReadableAsync(string bidId, Actor reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var snapshot = await LoadAsync(bidId, cancellationToken);
        return snapshot is not null && reader.MayRead(snapshot.State.OrganisationId) ? snapshot : null;
    }

    public async Task<CommandRecord?> FindCommandAsync(string bidId, string commandKey, CancellationToken cancellationToken)
    {
        var response = await storage.Bids.GetEntityIfExistsAsync<TableEntity>(bidId, CommandRow(commandKey), cancellationToken: cancellationToken);
        return response is { HasValue: true, Value: { } entity }
            ? new CommandRecord(entity.GetString("Fingerprint"), WorkflowJson.Deserialize<CommandResult>(entity.GetString("Result")))
            : null;
    }

    /// <summary>Records the answer to a command that changed nothing, so a retry is answered the same way.</summary>
    public async Task<bool> TryRecordAnswerAsync(string bidId, string commandKey, string fingerprint, CommandResult result, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Bids.AddEntityAsync(CommandEntity(bidId, commandKey, fingerprint, result), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Records one accepted step: the state, the answer to its command, its events and its effects. Only the bid's
    /// orchestration writes here, one step at a time; a step already recorded (its activity ran again after a
    /// crash) is left as it is. Answers the ids of the step's effects.
    /// </summary>
    public async Task<IReadOnlyList<string>> RecordStepAsync(StepRecord step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var bidId = step.After.BidId;
        var version = step.After.Version;
        var effects = step.Effects
            .Where(e => e is not (SetTimer or CancelTimer))
            .Select((effect, i) => (Id: EffectId(version, i), Effect: effect))
            .ToList();
        var actions = new List<TableTransactionAction>
        {
            new(step.IsNew ? TableTransactionActionType.Add : TableTransactionActionType.UpsertReplace, StateEntity(step.After, step.At, orchestrated: true)),
            new(TableTransactionActionType.Add, CommandEntity(bidId, step.CommandKey, step.Fingerprint, step.Result)),
        };
        actions.AddRange(step.Events.Select((e, i) => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(bidId, EventRow(version, i))
        {
            ["Type"] = e.GetType().Name,
            ["Stage"] = step.After.Stage.ToString(),
            ["At"] = e.At,
            ["By"] = e.By,
            ["Event"] = WorkflowJson.Serialize(e),
        })));
        actions.AddRange(effects.Select(o => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(bidId, o.Id)
        {
            ["Effect"] = WorkflowJson.Serialize(o.Effect),
            ["CreatedAt"] = step.At,
            ["Attempts"] = 0,
        })));

        try
        {
            await storage.Bids.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            if (await FindCommandAsync(bidId, step.CommandKey, cancellationToken) is null)
            {
                throw;
            }
        }

        return [.. effects.Select(o => o.Id)];
    }

    /// <summary>
    /// Writes a bid as if its orchestration had: for bids recorded before there was one, which it takes over on
    /// their next command.
    /// </summary>
    public async Task SaveUnorchestratedAsync(BidState state, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await storage.Bids.UpsertEntityAsync(StateEntity(state, at, orchestrated: false), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredEvent>> HistoryAsync(string bidId, CancellationToken cancellationToken)
    {
        var events = new List<StoredEvent>();
        await foreach (var entity in storage.Bids.QueryAsync<TableEntity>(
            e => e.PartitionKey == bidId && e.RowKey.CompareTo("evt-") >= 0 && e.RowKey.CompareTo("evt.") < 0, cancellationToken: cancellationToken))
        {
            events.Add(new StoredEvent(
                int.Parse(entity.RowKey.AsSpan(4, 8), CultureInfo.InvariantCulture),
                Enum.Parse<BidStage>(entity.GetString("Stage")),
                WorkflowJson.Deserialize<BidEvent>(entity.GetString("Event"))));
        }

        return events;
    }

    public async Task<OutboxItem?> FindEffectAsync(string bidId, string effectId, CancellationToken cancellationToken)
    {
        var response = await storage.Bids.GetEntityIfExistsAsync<TableEntity>(bidId, effectId, cancellationToken: cancellationToken);
        return response is { HasValue: true, Value: { } entity } ? ToOutboxItem(entity) : null;
    }

    public async Task<IReadOnlyList<OutboxItem>> OutboxAsync(string bidId, CancellationToken cancellationToken)
    {
        var items = new List<OutboxItem>();
        await foreach (var entity in storage.Bids.QueryAsync<TableEntity>(
            e => e.PartitionKey == bidId && e.RowKey.CompareTo("fx-") >= 0 && e.RowKey.CompareTo("fx.") < 0, cancellationToken: cancellationToken))
        {
            items.Add(ToOutboxItem(entity));
        }

        return items;
    }

    public async Task MarkEffectDoneAsync(OutboxItem item, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await storage.Bids.UpdateEntityAsync(
            new TableEntity(item.BidId, item.EffectId) { ["DoneAt"] = now, ["Attempts"] = item.Attempts + 1, ["LastError"] = null },
            ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Records a failed attempt; a permanent failure also records when, which stops further attempts.</summary>
    public async Task RecordEffectFailureAsync(OutboxItem item, string error, CancellationToken cancellationToken, DateTimeOffset? failedForGoodAt = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        var entity = new TableEntity(item.BidId, item.EffectId) { ["Attempts"] = item.Attempts + 1, ["LastError"] = error };
        if (failedForGoodAt is { } at)
        {
            entity["FailedAt"] = at;
        }

        await storage.Bids.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Records that an effect will not be tried again, after every retry failed.</summary>
    public async Task GiveUpEffectAsync(string bidId, string effectId, string error, DateTimeOffset now, CancellationToken cancellationToken) =>
        await storage.Bids.UpdateEntityAsync(new TableEntity(bidId, effectId) { ["LastError"] = error, ["FailedAt"] = now }, ETag.All, TableUpdateMode.Merge, cancellationToken);

    private static string EventRow(int version, int index) => $"evt-{version:D8}-{index:D2}";

    private static string EffectId(int version, int index) => $"fx-{version:D8}-{index:D2}";

    private static string CommandRow(string commandKey) => $"cmd-{commandKey}";

    private static TableEntity CommandEntity(string bidId, string commandKey, string fingerprint, CommandResult result) =>
        new(bidId, CommandRow(commandKey)) { ["Fingerprint"] = fingerprint, ["Result"] = WorkflowJson.Serialize(result) };

    /// <summary><paramref name="orchestrated"/> says whether the bid has an orchestration to send commands to.</summary>
    private static TableEntity StateEntity(BidState state, DateTimeOffset now, bool orchestrated)
    {
        var json = WorkflowJson.Serialize(state);
        var entity = new TableEntity(state.BidId, StateRow)
        {
            ["Stage"] = state.Stage.ToString(),
            ["FundId"] = state.FundId,
            ["OrganisationId"] = state.OrganisationId,
            ["Version"] = state.Version,
            ["UpdatedAt"] = now,
            ["Orchestrated"] = orchestrated,
        };
        var chunks = 0;
        for (var start = 0; start < json.Length; start += ChunkLength)
        {
            entity[$"State{chunks++}"] = json.Substring(start, Math.Min(ChunkLength, json.Length - start));
        }

        entity["Chunks"] = chunks;
        return entity;
    }

    private static OutboxItem ToOutboxItem(TableEntity entity) => new(
        entity.PartitionKey,
        entity.RowKey,
        WorkflowJson.Deserialize<Effect>(entity.GetString("Effect")),
        entity.GetDateTimeOffset("CreatedAt")!.Value,
        entity.GetDateTimeOffset("DoneAt"),
        entity.GetInt32("Attempts") ?? 0,
        entity.GetString("LastError"),
        entity.GetDateTimeOffset("FailedAt"));
}

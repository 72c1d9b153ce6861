using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Partnership.Functions.Identity;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Workflow;

public sealed record BidSnapshot(BidState State, ETag ETag);

public sealed record StoredEvent(int Version, BidStage StageAfter, BidEvent Event);

public enum OutboxKind
{
    /// <summary>An effect the workflow asked for (a notification, a document to make).</summary>
    Effect,

    /// <summary>Refresh the bid list read model; recorded with every commit so the list can never miss one.</summary>
    Projection,
}

public sealed record OutboxItem(string BidId, string EffectId, OutboxKind Kind, Effect? Effect, DateTimeOffset CreatedAt, DateTimeOffset? DoneAt, int Attempts, string? LastError, ETag ETag, DateTimeOffset? FailedAt = null)
{
    public bool IsDone => DoneAt is not null;
}

public sealed record StoredTimer(string BidId, string TimerId, TimerPurpose Purpose, DateTimeOffset DueAt);

/// <summary>Everything one accepted command writes, as one entity-group transaction.</summary>
public sealed record Commit(
    BidSnapshot? Before,
    BidState After,
    IReadOnlyList<BidEvent> Events,
    IReadOnlyList<Effect> Effects,
    string CommandKey,
    string Fingerprint,
    CommandResult Result,
    DateTimeOffset Now);

public sealed record CommitResult(CommitOutcome Outcome, IReadOnlyList<string> EffectIds);

public enum CommitOutcome
{
    Committed,

    /// <summary>Someone else changed the bid first; decide again on the fresh state.</summary>
    StateChanged,

    /// <summary>The same command (by idempotency key) was committed first; answer with its recorded result.</summary>
    AlreadyAnswered,
}

/// <summary>
/// The bid workflow's durable store on Table Storage. One partition per bid holds the current state (guarded by
/// its ETag), the append-only history, the outbox, the timers and the answered commands, so that one accepted
/// command is one entity-group transaction. Two index tables, written before the transaction and checked
/// against the partition afterwards, let the timer sweep and the outbox recovery read only what is due.
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

        return new BidSnapshot(ReadState(response.Value), response.Value.ETag);
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
    /// Claims an idempotency key for one caller, so that copies of a command sent at the same moment are decided
    /// once: the others wait for the claimant's answer. False when another caller holds it.
    /// </summary>
    public async Task<bool> TryClaimAsync(string bidId, string commandKey, string fingerprint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Bids.AddEntityAsync(new TableEntity(bidId, ClaimRow(commandKey)) { ["Fingerprint"] = fingerprint, ["ClaimedAt"] = now }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<(string Fingerprint, ETag ETag)?> FindClaimAsync(string bidId, string commandKey, CancellationToken cancellationToken)
    {
        var response = await storage.Bids.GetEntityIfExistsAsync<TableEntity>(bidId, ClaimRow(commandKey), cancellationToken: cancellationToken);
        return response is { HasValue: true, Value: { } entity } ? (entity.GetString("Fingerprint"), entity.ETag) : null;
    }

    /// <summary>Takes over a claim whose holder never answered (it died); only one of several waiters can.</summary>
    public async Task<bool> TryTakeOverClaimAsync(string bidId, string commandKey, ETag etag, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Bids.UpdateEntityAsync(new TableEntity(bidId, ClaimRow(commandKey)) { ["ClaimedAt"] = now }, etag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>Gives a claim back unanswered (the bid was too busy), so a retry with the same key can try again.</summary>
    public async Task ReleaseClaimAsync(string bidId, string commandKey, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Bids.DeleteEntityAsync(bidId, ClaimRow(commandKey), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    public async Task<CommitResult> CommitAsync(Commit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var bidId = commit.After.BidId;
        var version = commit.After.Version;
        var outbox = commit.Effects
            .Where(e => e is not (SetTimer or CancelTimer))
            .Select((effect, i) => (Id: EffectId(version, i), Kind: OutboxKind.Effect, Effect: (Effect?)effect))
            .Append((Id: EffectId(version, 99), Kind: OutboxKind.Projection, Effect: null))
            .ToList();
        var beforeTimers = commit.Before?.State.Timers.Select(t => t.Id).ToHashSet() ?? [];
        var afterTimers = commit.After.Timers.Select(t => t.Id).ToHashSet();
        var newTimers = commit.After.Timers.Where(t => !beforeTimers.Contains(t.Id)).ToList();
        var endedTimers = beforeTimers.Where(id => !afterTimers.Contains(id)).ToList();

        // The indexes point into the partition and are written first: if the transaction then fails, the sweep and
        // the recovery pass find an entry with nothing behind it and drop it; the reverse order could lose a timer.
        await Task.WhenAll(newTimers.Select(t => storage.TimerIndex.UpsertEntityAsync(
            new TableEntity(TimerIndexPartition, TimerIndexRow(t.DueAt, bidId, t.Id)) { ["BidId"] = bidId, ["TimerId"] = t.Id, ["WrittenAt"] = commit.Now },
            TableUpdateMode.Replace, cancellationToken)));
        await Task.WhenAll(outbox.Select(o => storage.OutboxIndex.UpsertEntityAsync(
            new TableEntity(OutboxIndexPartition, OutboxIndexRow(bidId, o.Id)) { ["BidId"] = bidId, ["EffectId"] = o.Id, ["NotBefore"] = commit.Now + IndexGrace },
            TableUpdateMode.Replace, cancellationToken)));

        var actions = new List<TableTransactionAction>
        {
            commit.Before is null
                ? new(TableTransactionActionType.Add, StateEntity(commit.After, commit.Now))
                : new(TableTransactionActionType.UpdateReplace, StateEntity(commit.After, commit.Now), commit.Before.ETag),
            new(TableTransactionActionType.Add, CommandEntity(bidId, commit.CommandKey, commit.Fingerprint, commit.Result)),
        };
        actions.AddRange(commit.Events.Select((e, i) => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(bidId, EventRow(version, i))
        {
            ["Type"] = e.GetType().Name,
            ["Stage"] = commit.After.Stage.ToString(),
            ["At"] = e.At,
            ["By"] = e.By,
            ["Event"] = WorkflowJson.Serialize(e),
        })));
        actions.AddRange(outbox.Select(o => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(bidId, o.Id)
        {
            ["Kind"] = o.Kind.ToString(),
            ["Effect"] = o.Effect is null ? null : WorkflowJson.Serialize(o.Effect),
            ["CreatedAt"] = commit.Now,
            ["Attempts"] = 0,
        })));
        actions.AddRange(newTimers.Select(t => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(bidId, TimerRow(t.Id))
        {
            ["Purpose"] = t.Purpose.ToString(),
            ["Stage"] = t.Stage.ToString(),
            ["DueAt"] = t.DueAt,
        })));
        actions.AddRange(endedTimers.Select(id => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(bidId, TimerRow(id)), ETag.All)));

        try
        {
            await storage.Bids.SubmitTransactionAsync(actions, cancellationToken);
            return new CommitResult(CommitOutcome.Committed, [.. outbox.Select(o => o.Id)]);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            // Action 1 is the command's own row: a conflict there means the same command got in first.
            return new CommitResult(e.FailedTransactionActionIndex == 1 ? CommitOutcome.AlreadyAnswered : CommitOutcome.StateChanged, []);
        }
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

    public async Task<bool> MarkEffectDoneAsync(OutboxItem item, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            await storage.Bids.UpdateEntityAsync(
                new TableEntity(item.BidId, item.EffectId) { ["DoneAt"] = now, ["Attempts"] = item.Attempts + 1, ["LastError"] = null },
                item.ETag, TableUpdateMode.Merge, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
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

    public async Task<IReadOnlyList<StoredTimer>> TimersAsync(string bidId, CancellationToken cancellationToken)
    {
        var timers = new List<StoredTimer>();
        await foreach (var entity in storage.Bids.QueryAsync<TableEntity>(
            e => e.PartitionKey == bidId && e.RowKey.CompareTo("tmr-") >= 0 && e.RowKey.CompareTo("tmr.") < 0, cancellationToken: cancellationToken))
        {
            timers.Add(new StoredTimer(bidId, entity.RowKey[4..], Enum.Parse<TimerPurpose>(entity.GetString("Purpose")), entity.GetDateTimeOffset("DueAt")!.Value));
        }

        return timers;
    }

    internal const string TimerIndexPartition = "due";
    internal const string OutboxIndexPartition = "pending";

    internal static string TimerIndexRow(DateTimeOffset dueAt, string bidId, string timerId) =>
        $"{dueAt.UtcTicks:D19}|{bidId}|{timerId}";

    internal static string OutboxIndexRow(string bidId, string effectId) => $"{bidId}|{effectId}";

    /// <summary>
    /// How long an index entry is left alone after it is written, so the sweep and the recovery pass never judge an
    /// entry whose transaction is still on its way; far longer than a transaction takes.
    /// </summary>
    internal static readonly TimeSpan IndexGrace = TimeSpan.FromMinutes(1);

    /// <summary>Index rows due at or before <paramref name="instant"/> sort before this key.</summary>
    internal static string IndexRowBound(DateTimeOffset instant) => $"{instant.UtcTicks:D19}|~";

    private static string EventRow(int version, int index) => $"evt-{version:D8}-{index:D2}";

    private static string EffectId(int version, int index) => $"fx-{version:D8}-{index:D2}";

    private static string TimerRow(string timerId) => $"tmr-{timerId}";

    private static string CommandRow(string commandKey) => $"cmd-{commandKey}";

    private static string ClaimRow(string commandKey) => $"claim-{commandKey}";

    private static TableEntity CommandEntity(string bidId, string commandKey, string fingerprint, CommandResult result) =>
        new(bidId, CommandRow(commandKey)) { ["Fingerprint"] = fingerprint, ["Result"] = WorkflowJson.Serialize(result) };

    private static TableEntity StateEntity(BidState state, DateTimeOffset now)
    {
        var json = WorkflowJson.Serialize(state);
        var entity = new TableEntity(state.BidId, StateRow)
        {
            ["Stage"] = state.Stage.ToString(),
            ["FundId"] = state.FundId,
            ["OrganisationId"] = state.OrganisationId,
            ["Version"] = state.Version,
            ["UpdatedAt"] = now,
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
        Enum.Parse<OutboxKind>(entity.GetString("Kind")),
        entity.GetString("Effect") is { } json ? WorkflowJson.Deserialize<Effect>(json) : null,
        entity.GetDateTimeOffset("CreatedAt")!.Value,
        entity.GetDateTimeOffset("DoneAt"),
        entity.GetInt32("Attempts") ?? 0,
        entity.GetString("LastError"),
        entity.ETag,
        entity.GetDateTimeOffset("FailedAt"));
}

using System.Globalization;
using Azure.Data.Tables;
using Cronos;
using Microsoft.Extensions.Options;
using Partnership.Functions.Identity;
using Partnership.Functions.Infrastructure;

namespace Partnership.Functions.Notifications;

public sealed class DigestOptions
{
    public const string Section = "Digest";

    /// <summary>When the digest goes, as a five-field cron expression in UK time: by default 8am on working days.</summary>
    public string Schedule { get; set; } = "0 8 * * 1-5";

    public CronExpression Cron() => CronExpression.Parse(Schedule);
}

public sealed record DigestItem(string BidId, string BidTitle, string Subject, string Ask, string BidUrl, DateTimeOffset RecordedAt);

/// <summary>What is held for each person's next digest: one partition per person, in the order it happened.</summary>
public sealed class DigestStore(Storage storage, TimeProvider clock)
{
    private const string RunPartition = "~run";

    public async Task HoldAsync(string userId, string bidId, string effectId, ComposedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = clock.GetUtcNow();
        await storage.Digests.UpsertEntityAsync(new TableEntity(userId, $"{now.UtcTicks:D19}|{bidId}|{effectId}")
        {
            ["BidId"] = bidId,
            ["BidTitle"] = message.BidTitle,
            ["Subject"] = message.Message.Subject,
            ["Ask"] = message.Message.Ask,
            ["BidUrl"] = message.BidUrl,
            ["RecordedAt"] = now,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Everyone's held items up to a moment, by person.</summary>
    public async Task<IReadOnlyDictionary<string, List<(string RowKey, DigestItem Item)>>> HeldUntilAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        var upTo = $"{until.UtcTicks:D19}~";
        var held = new Dictionary<string, List<(string, DigestItem)>>(StringComparer.Ordinal);
        await foreach (var e in storage.Digests.QueryAsync<TableEntity>(e => e.PartitionKey != RunPartition && e.RowKey.CompareTo(upTo) <= 0, cancellationToken: cancellationToken))
        {
            var item = new DigestItem(e.GetString("BidId"), e.GetString("BidTitle"), e.GetString("Subject"), e.GetString("Ask"), e.GetString("BidUrl"), e.GetDateTimeOffset("RecordedAt")!.Value);
            (held.TryGetValue(e.PartitionKey, out var list) ? list : held[e.PartitionKey] = []).Add((e.RowKey, item));
        }

        return held;
    }

    public async Task ReleaseAsync(string userId, IEnumerable<string> rowKeys, CancellationToken cancellationToken)
    {
        foreach (var chunk in rowKeys.Chunk(100))
        {
            await storage.Digests.SubmitTransactionAsync([.. chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(userId, k), Azure.ETag.All))], cancellationToken);
        }
    }

    public async Task<bool> RanAsync(DateTimeOffset occurrence, CancellationToken cancellationToken) =>
        (await storage.Digests.GetEntityIfExistsAsync<TableEntity>(RunPartition, Run(occurrence), cancellationToken: cancellationToken)).HasValue;

    public async Task MarkRunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken) =>
        await storage.Digests.UpsertEntityAsync(new TableEntity(RunPartition, Run(occurrence)) { ["At"] = clock.GetUtcNow() }, cancellationToken: cancellationToken);

    private static string Run(DateTimeOffset occurrence) => occurrence.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}

/// <summary>
/// Sends each coordinator who takes the digest one email of everything held for them since the last one. It runs
/// from the every-minute timer and acts once per scheduled time: the latest time the schedule has reached is
/// recorded when done, and each person's digest is keyed by it, so a run repeated after a crash sends nobody theirs
/// twice (within the same bound as any email). A refused digest keeps its items for the next one.
/// </summary>
public sealed class DigestSender(DigestStore store, UserDirectory users, IEmailChannel email, MessageLog log, MessageRenderer renderer, IOptions<DigestOptions> options, TimeProvider clock)
{

    /// <summary>How many digests went out.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var latest = options.Value.Cron().GetOccurrences(now.AddDays(-8), now, UkTime.Zone, fromInclusive: false, toInclusive: true).Select(o => (DateTimeOffset?)o).LastOrDefault();
        if (latest is not { } occurrence || await store.RanAsync(occurrence, cancellationToken))
        {
            return 0;
        }

        var sent = 0;
        foreach (var (userId, held) in await store.HeldUntilAsync(occurrence, cancellationToken))
        {
            var key = $"digest|{userId}|{occurrence.UtcTicks:D19}";
            if (!await log.LooseDoneAsync(key, cancellationToken))
            {
                if (await users.FindAsync(userId, cancellationToken) is not { } user)
                {
                    await store.ReleaseAsync(userId, held.Select(h => h.RowKey), cancellationToken);
                    continue;
                }

                var message = await renderer.RenderDigestAsync(user.DisplayName, TimeZoneInfo.ConvertTime(occurrence, UkTime.Zone), [.. held.Select(h => h.Item)]);
                var result = await email.SendAsync(
                    new EmailMessage(user.Email, user.DisplayName, message.Subject, message.Text, message.Html, null, new Dictionary<string, string> { ["template"] = "daily-digest" }),
                    cancellationToken);
                await log.RecordLooseAsync(key, user.Email, "daily-digest", message.Subject, message.Text, message.Html, "email", result.Delivered ? MessageLog.Sent : MessageLog.Failed, result.Detail, cancellationToken);
                if (!result.Delivered)
                {
                    continue;
                }

                sent++;
            }

            await store.ReleaseAsync(userId, held.Select(h => h.RowKey), cancellationToken);
        }

        await store.MarkRunAsync(occurrence, cancellationToken);
        return sent;
    }
}

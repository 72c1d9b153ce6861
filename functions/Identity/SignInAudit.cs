using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;

namespace Partnership.Functions.Identity;

/// <summary>One sign-in, sign-out or refused sign-in: who, when, from which client address, and how.</summary>
public sealed record SignInEvent(DateTimeOffset At, string What, string? UserId, string? Email, string Method, string? ClientAddress, string? Detail);

/// <summary>The record of sign-ins that auditors read, newest first.</summary>
public sealed class SignInAudit(Storage storage, TimeProvider clock)
{
    private const string Partition = "audit";

    public const string SignedIn = "Signed in";
    public const string SignedOut = "Signed out";
    public const string Refused = "Refused";

    public async Task RecordAsync(HttpContext http, string what, string? userId, string? email, string method, string? detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var now = clock.GetUtcNow();
        // Inverted ticks: the table returns rows in key order, so the newest come first.
        var key = $"{DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks:D19}-{Guid.NewGuid():N}";
        await storage.SignIns.AddEntityAsync(new TableEntity(Partition, key)
        {
            ["At"] = now,
            ["What"] = what,
            ["UserId"] = userId,
            ["Email"] = email,
            ["Method"] = method,
            ["ClientAddress"] = http.Connection.RemoteIpAddress?.ToString(),
            ["Detail"] = detail,
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<SignInEvent>> RecentAsync(int count, CancellationToken cancellationToken)
    {
        var events = new List<SignInEvent>();
        await foreach (var row in storage.SignIns.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, maxPerPage: count, cancellationToken: cancellationToken))
        {
            events.Add(new SignInEvent(row.GetDateTimeOffset("At")!.Value, row.GetString("What"), row.GetString("UserId"), row.GetString("Email"), row.GetString("Method"), row.GetString("ClientAddress"), row.GetString("Detail")));
            if (events.Count == count)
            {
                break;
            }
        }

        return events;
    }
}

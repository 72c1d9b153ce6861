using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Notifications;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Decisions;

/// <summary>One approver's reply address for one pending decision.</summary>
public sealed record ReplyTicket(string Code, string BidId, string UserId, BidStage Stage, DateTimeOffset DecisionDueAt, DateTimeOffset ExpiresAt)
{
    public bool IsFor(BidState bid)
    {
        ArgumentNullException.ThrowIfNull(bid);
        return bid.Stage == Stage && bid.DecisionDueAt == DecisionDueAt;
    }
}

/// <summary>
/// Per-decision reply addresses: <c>decide-{code}{mac}@{reply domain}</c>. The code is random and names a stored ticket
/// (bid, approver, pending decision, expiry); the MAC lets a forged address be turned away before any lookup. Both fit
/// in the 64 characters an address's local part may have.
/// </summary>
public sealed class ReplyAddresses(Storage storage, IOptions<DecisionLinkOptions> links, IOptions<EmailOptions> email, TimeProvider clock)
{
    private const string Partition = "reply";
    private const string Prefix = "decide-";
    private readonly byte[] _key = Convert.FromBase64String(links.Value.SigningKey);

    public async Task<string> CreateAsync(BidState bid, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bid);
        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        await storage.Messages.AddEntityAsync(new TableEntity(Partition, code)
        {
            ["BidId"] = bid.BidId,
            ["UserId"] = userId,
            ["Stage"] = bid.Stage.ToString(),
            ["DecisionDueAt"] = bid.DecisionDueAt,
            ["ExpiresAt"] = clock.GetUtcNow() + links.Value.Lifetime,
        }, cancellationToken);
        return $"{Prefix}{code}{Mac(code)}@{email.Value.ReplyDomain}";
    }

    /// <summary>The ticket an address stands for, or null for an address that is not one of ours or was tampered with.</summary>
    public async Task<ReplyTicket?> FindAsync(string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var local = address.Split('@')[0].Trim().ToLowerInvariant();
        if (!local.StartsWith(Prefix, StringComparison.Ordinal) || local.Length != Prefix.Length + 36)
        {
            return null;
        }

        var code = local.Substring(Prefix.Length, 20);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(code)), Encoding.ASCII.GetBytes(local[(Prefix.Length + 20)..])))
        {
            return null;
        }

        var row = await storage.Messages.GetEntityIfExistsAsync<TableEntity>(Partition, code, cancellationToken: cancellationToken);
        return row is { HasValue: true, Value: { } e }
            ? new ReplyTicket(code, e.GetString("BidId"), e.GetString("UserId"), Enum.Parse<BidStage>(e.GetString("Stage")), e.GetDateTimeOffset("DecisionDueAt")!.Value, e.GetDateTimeOffset("ExpiresAt")!.Value)
            : null;
    }

    private string Mac(string code) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(code)))[..16];
}

using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Decisions;

public sealed class DecisionLinkOptions
{
    public const string Section = "Decisions";

    /// <summary>The HMAC key, base64, at least 32 bytes. In Azure it comes from Key Vault through an app setting reference.</summary>
    [Required]
    [MinLength(44)]
    public string SigningKey { get; set; } = "";

    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(21);

    /// <summary>Where the app is reached from a mail client, for the links in messages.</summary>
    [Required]
    public string BaseUrl { get; set; } = "http://127.0.0.1:7071";
}

/// <summary>
/// What a decision link stands for: one recipient, one bid, one pending decision (the stage and the due date it was
/// asked for by), until an expiry. <see cref="Id"/> makes the link single-use.
/// </summary>
public sealed record DecisionLink(string Id, string BidId, string UserId, BidStage Stage, DateTimeOffset DecisionDueAt, DateTimeOffset ExpiresAt)
{
    public bool IsFor(BidState bid)
    {
        ArgumentNullException.ThrowIfNull(bid);
        return bid.Stage == Stage && bid.DecisionDueAt == DecisionDueAt;
    }
}

/// <summary>Signs and reads decision links: the payload in base64url, then an HMAC-SHA256 of it. Nothing is stored.</summary>
public sealed class DecisionLinks(IOptions<DecisionLinkOptions> options, TimeProvider clock)
{
    private readonly byte[] _key = Convert.FromBase64String(options.Value.SigningKey);

    public string Create(BidState bid, string userId)
    {
        ArgumentNullException.ThrowIfNull(bid);
        if (bid.DecisionDueAt is not { } due || bid.Stage is not (BidStage.HceRecommendation or BidStage.BoardApproval))
        {
            throw new InvalidOperationException($"Bid {bid.BidId} is not waiting for an HCE or Board decision.");
        }

        var link = new DecisionLink(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), bid.BidId, userId, bid.Stage, due, clock.GetUtcNow() + options.Value.Lifetime);
        return SignedTokens.Sign(link, _key);
    }

    public string Url(string token) => $"{options.Value.BaseUrl.TrimEnd('/')}/decisions/{token}";

    /// <summary>The link, or why it cannot be used, in words a recipient understands.</summary>
    public DecisionLink? Read(string token, out string? problem)
    {
        problem = "This link is not valid. It may have been copied incompletely; open it from the message again, or ask the coordinator for a new one.";
        var link = SignedTokens.Verify<DecisionLink>(token, _key);
        if (link is null)
        {
            return null;
        }

        if (link.ExpiresAt <= clock.GetUtcNow())
        {
            problem = "This link has expired. Sign in to the partnership's site to decide, or ask the coordinator for a new link.";
            return null;
        }

        problem = null;
        return link;
    }
}

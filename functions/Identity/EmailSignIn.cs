using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Partnership.Functions.Decisions;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Notifications;

namespace Partnership.Functions.Identity;

public sealed class EmailSignInOptions
{
    public const string Section = "EmailSignIn";

    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a signed-in session lasts without a request; each request renews it.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "12:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Links asked for one address in <see cref="Window"/>.</summary>
    [Range(1, 100)]
    public int PerAddress { get; set; } = 5;

    /// <summary>Sign-in requests from one client address in <see cref="Window"/>.</summary>
    [Range(1, 10_000)]
    public int PerClient { get; set; } = 30;

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>What a sign-in link says: whose address it was sent to, until when, under a random id used once.</summary>
public sealed record SignInLink(string Id, string Email, DateTimeOffset ExpiresAt);

/// <summary>
/// Sign-in links: signed with a key of their own derived from the app's link key (so no decision link can pass for
/// one), valid for fifteen minutes, bound to the address they were sent to, and used once.
/// </summary>
public sealed class SignInLinks(IOptions<DecisionLinkOptions> keys, IOptions<EmailSignInOptions> options, Storage storage, TimeProvider clock)
{
    private const string Used = "used";

    private readonly byte[] _key = HMACSHA256.HashData(Convert.FromBase64String(keys.Value.SigningKey), "partnership-funds email sign-in"u8);

    public string Create(string email)
    {
        var link = new SignInLink(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), UserDirectory.Normalised(email), clock.GetUtcNow() + options.Value.LinkLifetime);
        return SignedTokens.Sign(link, _key);
    }

    public string Url(string token) => $"{keys.Value.BaseUrl.TrimEnd('/')}/sign-in/email/{token}";

    /// <summary>The link, or why it cannot sign anyone in, in words the person understands. Reading it uses nothing up.</summary>
    public SignInLink? Read(string token, out string? problem)
    {
        problem = "This sign-in link is not valid. It may have been copied incompletely: ask for a new one.";
        var link = SignedTokens.Verify<SignInLink>(token, _key);
        if (link is null)
        {
            return null;
        }

        if (link.ExpiresAt <= clock.GetUtcNow())
        {
            problem = "This sign-in link has expired: links work for 15 minutes. Ask for a new one.";
            return null;
        }

        problem = null;
        return link;
    }

    /// <summary>Marks the link used; false if it already was, whichever request got there first.</summary>
    public async Task<bool> UseAsync(SignInLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        try
        {
            await storage.SignIns.AddEntityAsync(new TableEntity(Used, link.Id) { ["Email"] = link.Email, ["ExpiresAt"] = link.ExpiresAt }, cancellationToken);
            return true;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }
}

/// <summary>
/// Asking for a sign-in link answers at once and the same way for every address: the address is only queued here,
/// and <see cref="SignInMailer"/> looks it up and sends the email afterwards, so neither the answer nor its timing
/// says whether the address is known. Each address may ask a few times in a window, whoever asks.
/// </summary>
public sealed class SignInRequests : IDisposable
{
    private readonly Channel<string> _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly PartitionedRateLimiter<string> _perAddress;

    public SignInRequests(IOptions<EmailSignInOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _perAddress = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.PerAddress,
            Window = settings.Window,
            QueueLimit = 0,
        }));
    }

    public ChannelReader<string> Pending => _queue.Reader;

    /// <summary>False when the address has asked too often lately; nothing is sent then.</summary>
    public bool Ask(string email)
    {
        var address = UserDirectory.Normalised(email);
        using var lease = _perAddress.AttemptAcquire(address);
        return lease.IsAcquired && _queue.Writer.TryWrite(address);
    }

    public void Dispose() => _perAddress.Dispose();
}

/// <summary>
/// Sends each queued address its link through the email channel every message uses. An address nobody has yet gets
/// a link too: opening it makes them an applicant, who then registers their organisation. The message log keeps a
/// link's text only where the log is the local outbox; where email really goes out, the log holds no usable link.
/// </summary>
public sealed partial class SignInMailer(SignInRequests requests, SignInLinks links, UserDirectory users, MessageRenderer renderer, IEmailChannel email, IOptions<EmailOptions> emailOptions, MessageLog log, ILogger<SignInMailer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var address in requests.Pending.ReadAllAsync(stoppingToken))
        {
            try
            {
                await SendAsync(address, stoppingToken);
            }
            catch (Exception e) when (e is HttpRequestException or Azure.RequestFailedException)
            {
                NotSent(logger, e);
            }
        }
    }

    private async Task SendAsync(string address, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(address, cancellationToken);
        var url = links.Url(links.Create(address));
        var message = await renderer.RenderSignInLinkAsync(user?.DisplayName, url, user is null);
        var sent = await email.SendAsync(new EmailMessage(address, user?.DisplayName, message.Subject, message.Text, message.Html, null, new Dictionary<string, string> { ["template"] = "sign-in-link" }), cancellationToken);
        var offline = string.IsNullOrWhiteSpace(emailOptions.Value.SendGridApiKey);
        await log.RecordLooseAsync(
            $"sign-in|{Guid.NewGuid():N}", address, "sign-in-link", message.Subject,
            offline ? message.Text : "A sign-in link (its text is not kept).", offline ? message.Html : "", "email",
            sent.Delivered ? MessageLog.Sent : MessageLog.Failed, sent.Detail, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sign-in link could not be sent")]
    private static partial void NotSent(ILogger logger, Exception exception);
}

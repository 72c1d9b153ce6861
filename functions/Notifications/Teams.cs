using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.Json;
using System.Threading.RateLimiting;
using Azure.Core;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.Teamwork.SendActivityNotification;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using Partnership.Functions.Decisions;
using Partnership.Functions.Http;

namespace Partnership.Functions.Notifications;

public sealed class TeamsOptions
{
    public const string Section = "Teams";

    /// <summary>The static tab the notifications open; the manifest in <c>infra/teams</c> declares the same id.</summary>
    public const string TabEntityId = "decisions";

    /// <summary>
    /// The Teams app's id as the organisation's app catalogue knows it. Set it, with the app registration below, to
    /// send activity-feed notifications through Microsoft Graph; without it Teams notifications go to the local outbox.
    /// </summary>
    public string? TeamsAppId { get; set; }

    public string? TenantId { get; set; }

    /// <summary>The app registration granted Graph's <c>TeamsActivity.Send</c> application permission.</summary>
    public string? ClientId { get; set; }

    /// <summary>From Key Vault in Azure, through an app setting reference.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Graph's address; tests point it at a local stub.</summary>
    [Required]
    [Url]
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>Graph allows 5 sendActivityNotification calls a second per app per tenant; staying under it avoids most 429s.</summary>
    [Range(1, 1_000)]
    public int MaxRequestsPerSecond { get; set; } = 5;

    /// <summary>How often the Graph client itself retries a 429 or 503 (honouring Retry-After) before the outbox takes over.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(TeamsAppId);
}

/// <summary>
/// One activity-feed notification: the two activity types are declared in the Teams app manifest, with the
/// template parameters each needs.
/// </summary>
public sealed record TeamsNotification(string Recipient, string ActivityType, string Topic, string Preview, string OpenPath, IReadOnlyDictionary<string, string> Parameters)
{
    public const string DecisionRequested = "decisionRequested";
    public const string BidUpdated = "bidUpdated";

    /// <summary>"{actor} asks for your decision on {bidTitle}", opening the person's own decision page.</summary>
    public static TeamsNotification Decision(string recipient, string bidTitle, string preview, string openPath) =>
        new(recipient, DecisionRequested, bidTitle, preview, openPath, new Dictionary<string, string> { ["bidTitle"] = bidTitle });

    /// <summary>"{actor}: {subject}", opening the bid.</summary>
    public static TeamsNotification Update(string recipient, string bidTitle, string subject, string preview, string openPath) =>
        new(recipient, BidUpdated, bidTitle, preview, openPath, new Dictionary<string, string> { ["subject"] = subject });
}

public interface ITeamsChannel
{
    /// <summary>Delivers one notification, or says why it never can; throws when trying again later may work.</summary>
    Task<ChannelResult> SendAsync(TeamsNotification notification, CancellationToken cancellationToken);
}

/// <summary>
/// Where a Teams notification takes the person: Graph requires the topic's link to be a Teams link, so it is a deep
/// link into the app's personal tab, whose content URL carries the page to open (the tab's <c>subEntityId</c>).
/// </summary>
public sealed class TeamsLinks(IOptions<TeamsOptions> teams, IOptions<DecisionLinkOptions> site)
{
    public string DeepLink(string openPath)
    {
        var context = JsonSerializer.Serialize(new Dictionary<string, string> { ["subEntityId"] = openPath });
        return $"https://teams.microsoft.com/l/entity/{Uri.EscapeDataString(teams.Value.TeamsAppId ?? "")}/{TeamsOptions.TabEntityId}"
            + $"?webUrl={Uri.EscapeDataString(Direct(openPath))}&label={Uri.EscapeDataString("Partnership Funds")}&context={Uri.EscapeDataString(context)}";
    }

    public string Direct(string openPath) => $"{site.Value.BaseUrl.TrimEnd('/')}{openPath}";

    /// <summary>Only the app's own decision and bid pages may be opened from the tab, so it cannot be made to redirect elsewhere.</summary>
    public static bool MayOpen(string? path) =>
        path is { Length: > 1 and <= 1000 } && Uri.TryCreate(path, UriKind.Relative, out _) && !path.StartsWith("//", StringComparison.Ordinal)
        && (path.StartsWith("/decisions/", StringComparison.Ordinal) || path.StartsWith("/api/bids/", StringComparison.Ordinal));
}

/// <summary>
/// Sends activity-feed notifications with the Microsoft Graph client (application permission TeamsActivity.Send).
/// Graph's own retry handler honours Retry-After on 429 and 503; calls are paced under Graph's per-tenant limit; a
/// throttle that outlasts the retries throws so the effects queue tries again later. Any other refusal (the app is
/// not installed for the person, an unknown user) is permanent.
/// </summary>
public sealed class GraphTeamsChannel : ITeamsChannel, IDisposable
{
    private readonly GraphServiceClient _graph;
    private readonly HttpClient _http;
    private readonly TeamsLinks _links;
    private readonly TeamsOptions _options;

    // Graph's limit is counted in wall-clock seconds at Microsoft's end, so pacing runs on real time, not the app's clock.
    private readonly TokenBucketRateLimiter _pace;

    /// <summary>The credential Graph calls are made with is registered under this key, apart from any other.</summary>
    public const string CredentialKey = "graph";

    public GraphTeamsChannel(IOptions<TeamsOptions> options, [FromKeyedServices(CredentialKey)] TokenCredential credential, TeamsLinks links)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _links = links;
        var graphUri = new Uri(_options.GraphBaseUrl);
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        var retry = handlers.OfType<RetryHandler>().Single();
        handlers[handlers.IndexOf(retry)] = new RetryHandler(new RetryHandlerOption { MaxRetry = _options.MaxRetries });
        _http = GraphClientFactory.Create(handlers);
        _graph = new GraphServiceClient(
            _http,
            new AzureIdentityAuthenticationProvider(credential, [graphUri.Host], scopes: ["https://graph.microsoft.com/.default"]),
            _options.GraphBaseUrl);
        _pace = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = _options.MaxRequestsPerSecond,
            TokensPerPeriod = _options.MaxRequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public async Task<ChannelResult> SendAsync(TeamsNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        using var lease = await _pace.AcquireAsync(1, cancellationToken);
        try
        {
            await _graph.Users[notification.Recipient].Teamwork.SendActivityNotification.PostAsync(new SendActivityNotificationPostRequestBody
            {
                Topic = new TeamworkActivityTopic { Source = TeamworkActivityTopicSource.Text, Value = notification.Topic, WebUrl = _links.DeepLink(notification.OpenPath) },
                ActivityType = notification.ActivityType,
                PreviewText = new ItemBody { Content = notification.Preview },
                TeamsAppId = _options.TeamsAppId,
                TemplateParameters = [.. notification.Parameters.Select(p => new Microsoft.Graph.Models.KeyValuePair { Name = p.Key, Value = p.Value })],
            }, cancellationToken: cancellationToken);
            return new ChannelResult(true, null);
        }
        catch (Exception e) when (StatusOf(e) is { } status)
        {
            if (status == (int)HttpStatusCode.TooManyRequests || status >= 500)
            {
                throw new HttpRequestException($"Microsoft Graph answered {status}, still after its own retries; the notification will be retried.", e, (HttpStatusCode)status);
            }

            return new ChannelResult(false, e is ODataError { Error: { } error }
                ? $"Teams refused the notification ({status} {error.Code}): {error.Message}"
                : $"Teams refused the notification ({status}).");
        }
    }

    /// <summary>Graph's status from its error, or from the last attempt when its retry handler gave up.</summary>
    private static int? StatusOf(Exception e) => e switch
    {
        ApiException api => api.ResponseStatusCode,
        AggregateException { InnerExceptions: [.., ApiException last] } => last.ResponseStatusCode,
        _ => null,
    };

    public void Dispose()
    {
        _pace.Dispose();
        _graph.Dispose();
        _http.Dispose();
    }
}

/// <summary>Without Graph credentials a Teams notification is only recorded, for the development outbox to show.</summary>
public sealed class LocalTeamsChannel : ITeamsChannel
{
    public Task<ChannelResult> SendAsync(TeamsNotification notification, CancellationToken cancellationToken) =>
        Task.FromResult(new ChannelResult(true, "Kept in the local outbox"));
}


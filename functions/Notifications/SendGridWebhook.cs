using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Partnership.Functions.Http;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using SendGrid.Helpers.EventWebhook;

namespace Partnership.Functions.Notifications;

public sealed class EmailWebhookOptions
{
    public const string Section = "EmailWebhook";

    /// <summary>SendGrid's verification key for signed event webhooks (base64, as SendGrid shows it). Without it the endpoint refuses everything.</summary>
    public string? PublicKey { get; set; }

    /// <summary>How old a signed timestamp may be; older requests are refused as possible replays.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "1.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// SendGrid's Event Webhook: the ECDSA signature over timestamp and raw body is checked with SendGrid's own validator,
/// stale timestamps are refused, and each delivered, opened, bounced or dropped event for one of our messages is
/// recorded on the bid's timeline (keyed by SendGrid's event id, so a redelivered batch records nothing twice).
/// </summary>
public static class SendGridWebhook
{
    /// <summary>SendGrid batches events into posts far smaller than this.</summary>
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    private static readonly Dictionary<string, DeliveryOutcome> Outcomes = new(StringComparer.Ordinal)
    {
        ["delivered"] = DeliveryOutcome.Delivered,
        ["open"] = DeliveryOutcome.Opened,
        ["bounce"] = DeliveryOutcome.Bounced,
        ["dropped"] = DeliveryOutcome.Dropped,
    };

    public static IEndpointRouteBuilder MapSendGridWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/sendgrid/events", ReceiveAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery().WithBodyLimit(MaxBodyBytes).RequireRateLimiting(RateLimits.Webhooks);
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, IOptions<EmailWebhookOptions> options, BidCommandService commands, TimeProvider clock, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(ct);
        var signature = request.Headers[RequestValidator.SIGNATURE_HEADER].ToString();
        var timestamp = request.Headers[RequestValidator.TIMESTAMP_HEADER].ToString();
        if (options.Value.PublicKey is not { Length: > 0 } key || signature.Length == 0 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TypedResults.Problem(statusCode: 403, title: "Unsigned event batch refused.");
        }

        if ((clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > options.Value.MaxAge)
        {
            return TypedResults.Problem(statusCode: 403, title: "Stale event batch refused.", detail: "The signed timestamp is too old (or in the future) to accept.");
        }

        var validator = new RequestValidator();
        bool valid;
        try
        {
            valid = validator.VerifySignature(validator.ConvertPublicKeyToECDSA(key), body, signature, timestamp);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or System.Security.Cryptography.CryptographicException or IndexOutOfRangeException)
        {
            return Problems.Field(RequestValidator.SIGNATURE_HEADER, "The signature is not in SendGrid's format (base64 of an ECDSA signature).");
        }

        if (!valid)
        {
            return TypedResults.Problem(statusCode: 403, title: "Event batch signature does not verify.");
        }

        JsonDocument events;
        try
        {
            events = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Problems.Field("body", "The event batch is not JSON.");
        }

        using var parsed = events;
        if (parsed.RootElement.ValueKind != JsonValueKind.Array)
        {
            return Problems.Field("body", "The event batch is not a JSON array.");
        }

        var recorded = 0;
        foreach (var item in parsed.RootElement.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || Text(item, "bid_id") is not { } bidId || !Ids.IsSafe(bidId) || Text(item, "effect_id") is not { } effectId || Text(item, "event") is not { } name
                || !Outcomes.TryGetValue(name, out var outcome))
            {
                continue;
            }

            var at = item.TryGetProperty("timestamp", out var when) && when.TryGetInt64(out var unix) ? DateTimeOffset.FromUnixTimeSeconds(unix) : clock.GetUtcNow();
            var command = new RecordDelivery(Actor.System, effectId, Text(item, "email") ?? "", Text(item, "template") ?? "", outcome, Text(item, "reason"), at);
            var idempotencyKey = $"sendgrid:{Text(item, "sg_event_id") ?? $"{Text(item, "sg_message_id")}:{name}"}";
            if ((await commands.ExecuteAsync(bidId, command, idempotencyKey, ct)).Outcome == CommandOutcome.Accepted)
            {
                recorded++;
            }
        }

        return TypedResults.Ok(new { recorded });
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

using System.Net;
using Microsoft.Extensions.Options;
using Partnership.Workflows.Bids;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Partnership.Functions.Notifications;

public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>Set it (from Key Vault in Azure) to send through SendGrid; without it messages stay in the local outbox.</summary>
    public string? SendGridApiKey { get; set; }

    /// <summary>SendGrid's API address; tests point it at a local stub.</summary>
    public string? SendGridHost { get; set; }

    public string FromAddress { get; set; } = "grants@partnership.example.org";

    public string FromName { get; set; } = "Partnership Funds";

    /// <summary>The domain SendGrid Inbound Parse receives replies for; approvers reply to <c>decide-…@</c> it.</summary>
    public string ReplyDomain { get; set; } = "replies.partnership.example.org";

    /// <summary>The secret path segment of the Inbound Parse URL, since SendGrid does not sign inbound mail. Unset: replies are refused.</summary>
    public string? InboundSecret { get; set; }
}

/// <summary>
/// Sends each recipient's message through SendGrid, one API call each, with the bid and effect in <c>custom_args</c>
/// so delivery events find their way back. A 429 or 5xx throws and the effects queue retries with backoff; any other
/// refusal is permanent, recorded for the coordinator, and not retried. Recipients already sent to are skipped on a
/// retry, so an effect sends each person at most one email, unless the process dies between SendGrid accepting it and
/// the record being written.
/// </summary>
public sealed class SendGridEmailSender(NotificationComposer composer, MessageLog log, IOptions<EmailOptions> options) : INotificationSender
{
    private readonly SendGridClient _client = new(new SendGridClientOptions
    {
        ApiKey = options.Value.SendGridApiKey,
        Host = options.Value.SendGridHost ?? "https://api.sendgrid.com",
    });

    public async Task SendAsync(BidState bid, string effectId, Notify notify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bid);
        var refused = new List<string>();
        foreach (var message in await composer.ComposeAsync(bid, notify, cancellationToken))
        {
            if (await log.AlreadySentAsync(bid.BidId, effectId, message.Recipient.Id, cancellationToken))
            {
                continue;
            }

            var mail = MailHelper.CreateSingleEmail(
                new EmailAddress(options.Value.FromAddress, options.Value.FromName),
                new EmailAddress(message.Recipient.Email, message.Recipient.DisplayName),
                message.Message.Subject, message.Message.Text, message.Message.Html);
            if (message.ReplyTo is { } replyTo)
            {
                mail.SetReplyTo(new EmailAddress(replyTo));
            }

            mail.AddCustomArg("bid_id", bid.BidId);
            mail.AddCustomArg("effect_id", effectId);
            mail.AddCustomArg("template", notify.Template);
            var response = await _client.SendEmailAsync(mail, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var id = response.Headers.TryGetValues("X-Message-Id", out var values) ? values.FirstOrDefault() : null;
                await log.RecordAsync(bid.BidId, effectId, message, "email", "Sent", id, cancellationToken);
            }
            else if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
            {
                throw new HttpRequestException($"SendGrid answered {status}; the message will be retried.", null, response.StatusCode);
            }
            else
            {
                var detail = $"SendGrid refused the message ({status}): {await response.Body.ReadAsStringAsync(cancellationToken)}";
                await log.RecordAsync(bid.BidId, effectId, message, "email", "Failed", detail, cancellationToken);
                refused.Add($"{message.Recipient.Email}: {detail}");
            }
        }

        if (refused.Count > 0)
        {
            throw new PermanentDeliveryException(string.Join("; ", refused));
        }
    }

    public async Task SendReplyAsync(string recipient, string subject, string text, CancellationToken cancellationToken)
    {
        var mail = MailHelper.CreateSingleEmail(new EmailAddress(options.Value.FromAddress, options.Value.FromName), new EmailAddress(recipient), subject, text, null);
        var response = await _client.SendEmailAsync(mail, cancellationToken);
        await log.RecordReplyAsync(recipient, subject, text, "email", response.IsSuccessStatusCode ? "Sent" : "Failed", cancellationToken);
    }
}

using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;
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

    [Required]
    [EmailAddress]
    public string FromAddress { get; set; } = "grants@partnership.example.org";

    [Required]
    public string FromName { get; set; } = "Partnership Funds";

    /// <summary>The domain SendGrid Inbound Parse receives replies for; approvers reply to <c>decide-…@</c> it.</summary>
    [Required]
    public string ReplyDomain { get; set; } = "replies.partnership.example.org";

    /// <summary>The secret path segment of the Inbound Parse URL, since SendGrid does not sign inbound mail. Unset: replies are refused.</summary>
    public string? InboundSecret { get; set; }
}

/// <summary>One email: custom_args carry the bid and effect so SendGrid's delivery events find their way back.</summary>
public sealed record EmailMessage(string To, string? ToName, string Subject, string Text, string? Html, string? ReplyTo, IReadOnlyDictionary<string, string> CustomArgs);

public interface IEmailChannel
{
    /// <summary>Sends one email, or says why it never can; throws when trying again later may work.</summary>
    Task<ChannelResult> SendAsync(EmailMessage email, CancellationToken cancellationToken);
}

/// <summary>
/// Sends through SendGrid, one API call per recipient. A 429 or 5xx throws and the effects queue retries with backoff;
/// any other refusal is permanent. The delivery records each recipient's send, so a retried effect sends each person at
/// most one email, unless the process dies between SendGrid accepting it and the record being written.
/// </summary>
public sealed class SendGridEmailChannel(IOptions<EmailOptions> options) : IEmailChannel
{
    private readonly SendGridClient _client = new(new SendGridClientOptions
    {
        ApiKey = options.Value.SendGridApiKey,
        Host = options.Value.SendGridHost ?? "https://api.sendgrid.com",
    });

    public async Task<ChannelResult> SendAsync(EmailMessage email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var mail = MailHelper.CreateSingleEmail(
            new EmailAddress(options.Value.FromAddress, options.Value.FromName), new EmailAddress(email.To, email.ToName), email.Subject, email.Text, email.Html);
        if (email.ReplyTo is { } replyTo)
        {
            mail.SetReplyTo(new EmailAddress(replyTo));
        }

        foreach (var (name, value) in email.CustomArgs)
        {
            mail.AddCustomArg(name, value);
        }

        var response = await _client.SendEmailAsync(mail, cancellationToken);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return new ChannelResult(true, response.Headers.TryGetValues("X-Message-Id", out var values) ? values.FirstOrDefault() : null);
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
        {
            throw new HttpRequestException($"SendGrid answered {status}; the message will be retried.", null, response.StatusCode);
        }

        return new ChannelResult(false, $"SendGrid refused the message ({status}): {await response.Body.ReadAsStringAsync(cancellationToken)}");
    }
}

/// <summary>With no SendGrid key configured, emails are only recorded, so the whole flow can be walked on one machine.</summary>
public sealed class LocalEmailChannel : IEmailChannel
{
    public Task<ChannelResult> SendAsync(EmailMessage email, CancellationToken cancellationToken) =>
        Task.FromResult(new ChannelResult(true, "Kept in the local outbox"));
}

using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Partnership.Functions.Decisions;
using Partnership.Functions.Identity;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Organisations;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Notifications;

public interface INotificationSender
{
    Task SendAsync(BidState bid, string effectId, Notify notify, CancellationToken cancellationToken);

    /// <summary>A plain answer to someone who wrote in (a reply to a decision prompt).</summary>
    Task SendReplyAsync(string recipient, string subject, string text, CancellationToken cancellationToken);
}

/// <summary>A notification could never be delivered as it stands (the provider refused it); retrying would not help.</summary>
public sealed class PermanentDeliveryException(string message) : Workflow.PermanentEffectException(message);

/// <summary>Sends a step's notification to its audience.</summary>
public sealed class NotifyHandler(INotificationSender sender) : Workflow.EffectHandler<Notify>
{
    protected override async Task<Workflow.FollowUp?> HandleAsync(BidState bid, string effectId, Notify effect, CancellationToken cancellationToken)
    {
        await sender.SendAsync(bid, effectId, effect, cancellationToken);
        return null;
    }
}

public sealed record OutboxMessage(string BidId, string EffectId, string To, string Email, string Template, string Subject, string Body, string Html, string Channel, string Status, string? Detail, DateTimeOffset RecordedAt, string? ReplyTo = null);

/// <summary>One recipient's message about a bid: what they read, where it asks them to act, and where they may reply.</summary>
public sealed record ComposedMessage(AppUser Recipient, string Template, RenderedMessage Message, string BidTitle, string? ActionUrl, string BidUrl, string? ReplyTo = null);

/// <summary>What one channel made of one message: delivered, or refused for good with the provider's reason.</summary>
public sealed record ChannelResult(bool Delivered, string? Detail);

/// <summary>Who a notification goes to and what each of them reads: their own decision link where they are asked to decide.</summary>
public sealed class NotificationComposer(UserDirectory users, OrganisationStore organisations, DecisionLinks links, ReplyAddresses replies, MessageRenderer renderer, IOptions<DecisionLinkOptions> options)
{
    public async Task<IReadOnlyList<ComposedMessage>> ComposeAsync(BidState bid, Notify notify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bid);
        ArgumentNullException.ThrowIfNull(notify);
        var organisation = (await organisations.FindAsync(bid.OrganisationId, cancellationToken))?.Name ?? bid.OrganisationId;
        var composed = new List<ComposedMessage>();
        foreach (var user in TakingPart(bid, notify, await RecipientsAsync(bid, notify.To, cancellationToken)))
        {
            var decides = bid.DecisionDueAt is not null
                && ((bid.Stage == BidStage.HceRecommendation && user.Role == Role.HceMember) || (bid.Stage == BidStage.BoardApproval && user.Role == Role.BoardMember));
            var replyTo = decides ? await replies.CreateAsync(bid, user.Id, cancellationToken) : null;
            var model = MessageRenderer.Model(bid, organisation, user.DisplayName, notify, decides ? links.Url(links.Create(bid, user.Id)) : null, options.Value.BaseUrl) with { ReplyTo = replyTo };
            composed.Add(new ComposedMessage(user, notify.Template, await renderer.RenderAsync(notify.Template, model), bid.Proposal.Title, model.ActionUrl, model.BidUrl, replyTo));
        }

        return composed;
    }

    /// <summary>
    /// From version 4, only the members a motion is put to, who have not yet voted on it, hear about it: a member with an
    /// interest in the applicant is neither prompted nor reminded, nor is anyone outside the body.
    /// </summary>
    private static IEnumerable<AppUser> TakingPart(BidState bid, Notify notify, IReadOnlyList<AppUser> audience)
    {
        if (notify.To is not (Audience.HceMembers or Audience.BoardMembers))
        {
            return audience;
        }

        var chosen = notify.Only is { } only ? audience.Where(u => only.Contains(u.Id)) : audience;
        return bid.PendingMotion is { Status: Partnership.Workflows.Decisions.MotionStatus.Open } motion
            && (notify.To == Audience.HceMembers) == (motion.Body == Partnership.Workflows.Decisions.BodyKind.Hce)
            ? chosen.Where(u => motion.Eligible.Contains(u.Id) && !motion.Votes.ContainsKey(u.Id))
            : chosen;
    }

    private async Task<IReadOnlyList<AppUser>> RecipientsAsync(BidState bid, Audience audience, CancellationToken cancellationToken)
    {
        if (audience == Audience.Applicant)
        {
            return await users.FindAsync(bid.ApplicantUserId, cancellationToken) is { } applicant ? [applicant] : [];
        }

        var everyone = await users.ListAsync(cancellationToken);
        return audience switch
        {
            Audience.Coordinators => [.. everyone.Where(u => u.Role == Role.Coordinator)],
            Audience.HceMembers => [.. everyone.Where(u => u.Role == Role.HceMember)],
            Audience.BoardMembers => [.. everyone.Where(u => u.Role == Role.BoardMember)],
            Audience.BoardChair => [.. everyone.Where(u => u.Role == Role.BoardMember && u.IsChair)],
            Audience.FinanceOfficers => [.. everyone.Where(u => u.Role == Role.FinanceOfficer)],
            _ => throw new ArgumentOutOfRangeException(nameof(audience), audience, null),
        };
    }
}

/// <summary>
/// The record of every message, whichever way it went: one row per bid, effect, recipient and channel, so the
/// coordinator can see that a prompt went out and how, and a retried effect can tell who already has theirs.
/// </summary>
public sealed class MessageLog(Storage storage, TimeProvider clock)
{
    public const string Sent = "Sent";
    public const string Failed = "Failed";
    public const string Held = "Held for the daily digest";

    private const string Partition = "message";

    public Task<bool> AlreadyDoneAsync(string bidId, string effectId, string userId, string channel, CancellationToken cancellationToken) =>
        DoneAsync(Key(bidId, effectId, userId, channel), cancellationToken);

    /// <summary>Records one channel's message; a Teams notification is recorded as its preview and the page it opens.</summary>
    public Task RecordAsync(string bidId, string effectId, ComposedMessage message, string channel, string address, string status, string? detail, string? opens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var teams = channel == "teams";
        return WriteAsync(
            Key(bidId, effectId, message.Recipient.Id, channel), bidId, effectId, message.Recipient.Id, address, message.Template, message.Message.Subject,
            teams ? $"{message.Message.Ask}\n\nOpens {opens}" : message.Message.Text, teams ? "" : message.Message.Html, teams ? null : message.ReplyTo,
            channel, status, detail, cancellationToken);
    }

    /// <summary>A message that belongs to no bid (a reply to someone who wrote in, a daily digest), under its own key.</summary>
    public Task RecordLooseAsync(string key, string to, string template, string subject, string text, string html, string channel, string status, string? detail, CancellationToken cancellationToken) =>
        WriteAsync(key, "", "", to, to, template, subject, text, html, null, channel, status, detail, cancellationToken);

    public Task<bool> LooseDoneAsync(string key, CancellationToken cancellationToken) => DoneAsync(key, cancellationToken);

    public string ReplyKey() => $"reply|{clock.GetUtcNow().UtcTicks:D19}|{Guid.NewGuid():N}";

    /// <summary>Every message about one bid, or (with an empty id) those about none; null for all.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(string? bidId, CancellationToken cancellationToken)
    {
        var messages = new List<OutboxMessage>();
        await foreach (var e in storage.Messages.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            if (bidId is null || e.GetString("BidId") == bidId)
            {
                messages.Add(new OutboxMessage(
                    e.GetString("BidId"), e.GetString("EffectId"), e.GetString("To"), e.GetString("Email"), e.GetString("Template"), e.GetString("Subject"),
                    e.GetString("Body"), e.GetString("Html") ?? "", e.GetString("Channel") ?? "email", e.GetString("Status") ?? Sent, e.GetString("Detail"),
                    e.GetDateTimeOffset("RecordedAt")!.Value, e.GetString("ReplyTo")));
            }
        }

        return [.. messages.OrderByDescending(m => m.RecordedAt).ThenBy(m => m.EffectId, StringComparer.Ordinal)];
    }

    private async Task<bool> DoneAsync(string key, CancellationToken cancellationToken)
    {
        var row = await storage.Messages.GetEntityIfExistsAsync<TableEntity>(Partition, key, cancellationToken: cancellationToken);
        return row is { HasValue: true, Value: { } entity } && entity.GetString("Status") is Sent or Held;
    }

    private async Task WriteAsync(
        string key, string bidId, string effectId, string to, string address, string template, string subject, string body, string html, string? replyTo,
        string channel, string status, string? detail, CancellationToken cancellationToken) =>
        await storage.Messages.UpsertEntityAsync(new TableEntity(Partition, key)
        {
            ["BidId"] = bidId,
            ["EffectId"] = effectId,
            ["To"] = to,
            ["Email"] = address,
            ["Template"] = template,
            ["Subject"] = subject,
            ["Body"] = body,
            ["Html"] = html,
            ["ReplyTo"] = replyTo,
            ["Channel"] = channel,
            ["Status"] = status,
            ["Detail"] = detail,
            ["RecordedAt"] = clock.GetUtcNow(),
        }, TableUpdateMode.Replace, cancellationToken);

    private static string Key(string bidId, string effectId, string userId, string channel) => $"{bidId}|{effectId}|{userId}|{channel}";
}

/// <summary>
/// Delivers each recipient's message the way they chose: email, a Teams activity notification, or both; a coordinator
/// who takes the daily digest has routine news held for it. A person who chose Teams alone and whom Teams refuses
/// (the app not installed for them, say) is sent the email instead, and the refusal stays on record. A channel that
/// refuses for good leaves the effect failed only when nobody's message got through that way or another.
/// </summary>
public sealed class NotificationDelivery(
    NotificationComposer composer, PreferenceStore preferences, IEmailChannel email, ITeamsChannel teams, TeamsLinks links, DigestStore digest, MessageLog log) : INotificationSender
{
    /// <summary>News a coordinator must have at once even when they take the digest.</summary>
    private static readonly HashSet<string> Urgent = ["prompt-undelivered"];

    public async Task SendAsync(BidState bid, string effectId, Notify notify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bid);
        var undelivered = new List<string>();
        foreach (var message in await composer.ComposeAsync(bid, notify, cancellationToken))
        {
            var chosen = await preferences.FindAsync(message.Recipient.Id, cancellationToken);
            if (chosen.DailyDigest && message.Recipient.Role == Role.Coordinator && message.ActionUrl is null && !Urgent.Contains(message.Template))
            {
                if (!await log.AlreadyDoneAsync(bid.BidId, effectId, message.Recipient.Id, "digest", cancellationToken))
                {
                    await digest.HoldAsync(message.Recipient.Id, bid.BidId, effectId, message, cancellationToken);
                    await log.RecordAsync(bid.BidId, effectId, message, "digest", message.Recipient.Email, MessageLog.Held, null, null, cancellationToken);
                }

                continue;
            }

            var byEmail = chosen.Channels.HasFlag(Channels.Email);
            string? teamsRefusal = null;
            if (chosen.Channels.HasFlag(Channels.Teams))
            {
                teamsRefusal = await TeamsAsync(bid.BidId, effectId, message, chosen.TeamsRecipient(message.Recipient), fallsBackToEmail: !byEmail, cancellationToken);
            }

            string? emailRefusal = null;
            if (byEmail || teamsRefusal is not null)
            {
                emailRefusal = await EmailAsync(bid.BidId, effectId, message, cancellationToken);
            }

            if (emailRefusal is not null && (teamsRefusal is not null || !chosen.Channels.HasFlag(Channels.Teams)))
            {
                undelivered.Add($"{message.Recipient.Email}: {string.Join("; ", new[] { teamsRefusal, emailRefusal }.OfType<string>())}");
            }
        }

        if (undelivered.Count > 0)
        {
            throw new PermanentDeliveryException(string.Join("; ", undelivered));
        }
    }

    public async Task SendReplyAsync(string recipient, string subject, string text, CancellationToken cancellationToken)
    {
        var result = await email.SendAsync(new EmailMessage(recipient, null, subject, text, null, null, new Dictionary<string, string>()), cancellationToken);
        await log.RecordLooseAsync(log.ReplyKey(), recipient, "reply", subject, text, "", "email", result.Delivered ? MessageLog.Sent : MessageLog.Failed, result.Detail, cancellationToken);
    }

    /// <summary>Null when delivered (now or before); otherwise why Teams refused.</summary>
    private async Task<string?> TeamsAsync(string bidId, string effectId, ComposedMessage message, string recipient, bool fallsBackToEmail, CancellationToken cancellationToken)
    {
        if (await log.AlreadyDoneAsync(bidId, effectId, message.Recipient.Id, "teams", cancellationToken))
        {
            return null;
        }

        var notification = message.ActionUrl is { } action
            ? TeamsNotification.Decision(recipient, message.BidTitle, message.Message.Ask, new Uri(action).PathAndQuery)
            : TeamsNotification.Update(recipient, message.BidTitle, message.Message.Subject, message.Message.Ask, new Uri(message.BidUrl).PathAndQuery);
        var result = await teams.SendAsync(notification, cancellationToken);
        var detail = result.Delivered || !fallsBackToEmail ? result.Detail : $"{result.Detail} Sent by email instead.";
        await log.RecordAsync(bidId, effectId, message, "teams", recipient, result.Delivered ? MessageLog.Sent : MessageLog.Failed, detail, links.Direct(notification.OpenPath), cancellationToken);
        return result.Delivered ? null : result.Detail;
    }

    private async Task<string?> EmailAsync(string bidId, string effectId, ComposedMessage message, CancellationToken cancellationToken)
    {
        if (await log.AlreadyDoneAsync(bidId, effectId, message.Recipient.Id, "email", cancellationToken))
        {
            return null;
        }

        var result = await email.SendAsync(
            new EmailMessage(
                message.Recipient.Email, message.Recipient.DisplayName, message.Message.Subject, message.Message.Text, message.Message.Html, message.ReplyTo,
                new Dictionary<string, string> { ["bid_id"] = bidId, ["effect_id"] = effectId, ["template"] = message.Template }),
            cancellationToken);
        await log.RecordAsync(bidId, effectId, message, "email", message.Recipient.Email, result.Delivered ? MessageLog.Sent : MessageLog.Failed, result.Detail, null, cancellationToken);
        return result.Delivered ? null : result.Detail;
    }
}

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
public sealed class PermanentDeliveryException(string message) : Exception(message);

public sealed record OutboxMessage(string BidId, string EffectId, string To, string Email, string Template, string Subject, string Body, string Html, string Channel, string Status, string? Detail, DateTimeOffset RecordedAt, string? ReplyTo = null);

public sealed record ComposedMessage(AppUser Recipient, string Template, RenderedMessage Message, string? ReplyTo = null);

/// <summary>Who a notification goes to and what each of them reads: their own decision link where they are asked to decide.</summary>
public sealed class NotificationComposer(UserDirectory users, OrganisationStore organisations, DecisionLinks links, ReplyAddresses replies, MessageRenderer renderer, IOptions<DecisionLinkOptions> options)
{
    public async Task<IReadOnlyList<ComposedMessage>> ComposeAsync(BidState bid, Notify notify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bid);
        ArgumentNullException.ThrowIfNull(notify);
        var organisation = (await organisations.FindAsync(bid.OrganisationId, cancellationToken))?.Name ?? bid.OrganisationId;
        var composed = new List<ComposedMessage>();
        foreach (var user in await RecipientsAsync(bid, notify.To, cancellationToken))
        {
            var decides = bid.DecisionDueAt is not null
                && ((bid.Stage == BidStage.HceRecommendation && user.Role == Role.HceMember) || (bid.Stage == BidStage.BoardApproval && user.Role == Role.BoardMember));
            var replyTo = decides ? await replies.CreateAsync(bid, user.Id, cancellationToken) : null;
            var model = MessageRenderer.Model(bid, organisation, user.DisplayName, notify, decides ? links.Url(links.Create(bid, user.Id)) : null, options.Value.BaseUrl) with { ReplyTo = replyTo };
            composed.Add(new ComposedMessage(user, notify.Template, await renderer.RenderAsync(notify.Template, model), replyTo));
        }

        return composed;
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
/// The record of every message, whichever way it went: one row per bid, effect and recipient, so the coordinator can
/// see that a prompt went out, and a retried effect can tell who already has theirs.
/// </summary>
public sealed class MessageLog(Storage storage, TimeProvider clock)
{
    private const string Partition = "message";

    public async Task<bool> AlreadySentAsync(string bidId, string effectId, string userId, CancellationToken cancellationToken)
    {
        var row = await storage.Messages.GetEntityIfExistsAsync<TableEntity>(Partition, Key(bidId, effectId, userId), cancellationToken: cancellationToken);
        return row is { HasValue: true, Value: { } entity } && entity.GetString("Status") == "Sent";
    }

    public async Task RecordAsync(string bidId, string effectId, ComposedMessage message, string channel, string status, string? detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await storage.Messages.UpsertEntityAsync(new TableEntity(Partition, Key(bidId, effectId, message.Recipient.Id))
        {
            ["BidId"] = bidId,
            ["EffectId"] = effectId,
            ["To"] = message.Recipient.Id,
            ["Email"] = message.Recipient.Email,
            ["Template"] = message.Template,
            ["Subject"] = message.Message.Subject,
            ["Body"] = message.Message.Text,
            ["Html"] = message.Message.Html,
            ["ReplyTo"] = message.ReplyTo,
            ["Channel"] = channel,
            ["Status"] = status,
            ["Detail"] = detail,
            ["RecordedAt"] = clock.GetUtcNow(),
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task RecordReplyAsync(string to, string subject, string text, string channel, string status, CancellationToken cancellationToken) =>
        await storage.Messages.AddEntityAsync(new TableEntity(Partition, $"reply|{clock.GetUtcNow().UtcTicks:D19}|{Guid.NewGuid():N}")
        {
            ["BidId"] = "",
            ["EffectId"] = "",
            ["To"] = to,
            ["Email"] = to,
            ["Template"] = "reply",
            ["Subject"] = subject,
            ["Body"] = text,
            ["Channel"] = channel,
            ["Status"] = status,
            ["RecordedAt"] = clock.GetUtcNow(),
        }, cancellationToken);

    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(string? bidId, CancellationToken cancellationToken)
    {
        var messages = new List<OutboxMessage>();
        await foreach (var e in storage.Messages.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            if (e.RowKey.StartsWith("reply|", StringComparison.Ordinal) ? bidId is null || bidId == "" : bidId is null || e.GetString("BidId") == bidId)
            {
                messages.Add(new OutboxMessage(
                    e.GetString("BidId"), e.GetString("EffectId"), e.GetString("To"), e.GetString("Email"), e.GetString("Template"), e.GetString("Subject"),
                    e.GetString("Body"), e.GetString("Html") ?? "", e.GetString("Channel") ?? "local", e.GetString("Status") ?? "Sent", e.GetString("Detail"),
                    e.GetDateTimeOffset("RecordedAt")!.Value, e.GetString("ReplyTo")));
            }
        }

        return [.. messages.OrderByDescending(m => m.RecordedAt).ThenBy(m => m.EffectId, StringComparer.Ordinal)];
    }

    private static string Key(string bidId, string effectId, string userId) => $"{bidId}|{effectId}|{userId}";
}

/// <summary>
/// With no SendGrid key configured, every message is kept here instead of sent, so the whole flow can be walked on one
/// machine: the development outbox page shows them with working links.
/// </summary>
public sealed class LocalOutbox(NotificationComposer composer, MessageLog log) : INotificationSender
{
    public async Task SendAsync(BidState bid, string effectId, Notify notify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bid);
        foreach (var message in await composer.ComposeAsync(bid, notify, cancellationToken))
        {
            await log.RecordAsync(bid.BidId, effectId, message, "local", "Sent", null, cancellationToken);
        }
    }

    public Task SendReplyAsync(string recipient, string subject, string text, CancellationToken cancellationToken) =>
        log.RecordReplyAsync(recipient, subject, text, "local", "Sent", cancellationToken);
}

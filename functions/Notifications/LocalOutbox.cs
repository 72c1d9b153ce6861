using System.Globalization;
using Azure.Data.Tables;
using Partnership.Functions.Decisions;
using Partnership.Functions.Identity;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Notifications;

public interface INotificationSender
{
    Task SendAsync(BidState bid, string effectId, Notify notify, CancellationToken cancellationToken);
}

public sealed record OutboxMessage(string BidId, string EffectId, string To, string Email, string Template, string Subject, string Body, DateTimeOffset RecordedAt);

/// <summary>
/// Keeps every message in a table instead of sending it, so the whole flow can be walked on one machine.
/// Rows are keyed by bid, effect and recipient: dispatching an effect again rewrites the same rows, never adds more.
/// </summary>
public sealed class LocalOutbox(Storage storage, UserDirectory users, DecisionLinks links, TimeProvider clock) : INotificationSender
{
    private const string Partition = "message";

    public async Task SendAsync(BidState bid, string effectId, Notify notify, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bid);
        ArgumentNullException.ThrowIfNull(notify);
        var recipients = await RecipientsAsync(bid, notify.To, cancellationToken);
        foreach (var user in recipients)
        {
            var decides = bid.DecisionDueAt is not null
                && ((bid.Stage == BidStage.HceRecommendation && user.Role == Role.HceMember) || (bid.Stage == BidStage.BoardApproval && user.Role == Role.BoardMember));
            var (subject, body) = MessageText.For(bid, notify, decides ? links.Url(links.Create(bid, user.Id)) : null);
            await storage.Messages.UpsertEntityAsync(new TableEntity(Partition, $"{bid.BidId}|{effectId}|{user.Id}")
            {
                ["BidId"] = bid.BidId,
                ["EffectId"] = effectId,
                ["To"] = user.Id,
                ["Email"] = user.Email,
                ["Template"] = notify.Template,
                ["Subject"] = subject,
                ["Body"] = body,
                ["RecordedAt"] = clock.GetUtcNow(),
            }, TableUpdateMode.Replace, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(string? bidId, CancellationToken cancellationToken)
    {
        var messages = new List<OutboxMessage>();
        await foreach (var e in storage.Messages.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            if (bidId is null || e.GetString("BidId") == bidId)
            {
                messages.Add(new OutboxMessage(
                    e.GetString("BidId"), e.GetString("EffectId"), e.GetString("To"), e.GetString("Email"), e.GetString("Template"),
                    e.GetString("Subject"), e.GetString("Body"), e.GetDateTimeOffset("RecordedAt")!.Value));
            }
        }

        return [.. messages.OrderByDescending(m => m.RecordedAt).ThenBy(m => m.EffectId, StringComparer.Ordinal)];
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

/// <summary>The words of each message: which bid, what is asked, and by when.</summary>
public static class MessageText
{
    private static readonly CultureInfo British = CultureInfo.GetCultureInfo("en-GB");
    private static readonly TimeZoneInfo UkTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>The message; <paramref name="decisionUrl"/> is the recipient's own link to decide, when they are asked to.</summary>
    public static (string Subject, string Body) For(BidState bid, Notify notify, string? decisionUrl = null)
    {
        ArgumentNullException.ThrowIfNull(bid);
        ArgumentNullException.ThrowIfNull(notify);
        var title = bid.Proposal.Title;
        var ask = notify.Template switch
        {
            "bid-received" => "We have received your bid and will screen it.",
            "bid-submitted" or "bid-resubmitted" or "screening-started" => "Please screen this bid.",
            "changes-requested" => $"The coordinator has asked for changes: {bid.ChangesRequested}",
            "decision-prompt-hce" => "Please recommend approval (with the amount and any conditions), deferral or rejection.",
            "hce-recommended-approval" => "HCE has recommended this bid for approval.",
            "decision-prompt-board" => "Please approve or reject HCE's recommendation.",
            "decision-deferred" => $"HCE has deferred its recommendation until {bid.Recommendation?.DeferredUntil?.ToString("d MMMM yyyy", British)}.",
            "bid-rejected" => $"The bid has been rejected: {bid.OutcomeReason}",
            "bid-approved" => "The Partnership Board has approved the bid. A contract will follow.",
            "contract-to-send" => "The Board approved this bid; please send the contract.",
            "contract-sent" => "Please sign the contract and return it.",
            "signed-contract-returned" => "The signed contract has been returned; please check and accept it.",
            "contract-accepted" => "Your signed contract has been accepted; a purchase order will be raised.",
            "purchase-order-needed" => "Please raise the purchase order for this grant.",
            "purchase-order-raised" => "The purchase order has been raised; quarterly monitoring begins.",
            "final-return-requested" => "Please send the final return for this grant.",
            "grant-period-ended" => "The grant period has ended; the grant is now closing.",
            "bid-closed" => "The grant is closed.",
            "bid-withdrawn" => $"The applicant has withdrawn the bid: {bid.OutcomeReason}",
            "decision-reminder" => "A reminder: a decision on this bid is due.",
            "decision-overdue" => "The decision on this bid is overdue.",
            "decision-escalation" => "A decision on this bid is overdue and has been escalated to you.",
            "return-due-soon" => "A quarterly monitoring return is due soon.",
            "return-due-today" => "A quarterly monitoring return is due today.",
            "return-overdue" => "A quarterly monitoring return is overdue; payments are held until it arrives.",
            "return-overdue-coordinators" => "A quarterly monitoring return is overdue.",
            "return-overdue-hce" => "A quarterly monitoring return is two weeks overdue and is flagged for HCE.",
            "return-submitted" => "A quarterly return has been submitted; please review it.",
            "return-accepted" => "Your quarterly return has been accepted.",
            "return-sent-back" => "Your quarterly return needs changes before it can be accepted.",
            "payment-made" => "A grant payment has been made.",
            "variation-proposed" => "A variation to this grant needs HCE's decision.",
            "variation-agreed" => "HCE has agreed a variation to this grant.",
            "variation-declined" => "HCE has declined the proposed variation.",
            "transfer-received" => "Underspend from another project has been added to this grant.",
            _ => $"An update on this bid ({notify.Template}).",
        };
        var due = notify.RespondBy is { } by ? $" Due by {TimeZoneInfo.ConvertTime(by, UkTime).ToString("h:mm tt 'on' dddd d MMMM yyyy", British)}." : "";
        var act = decisionUrl is null ? $"/api/bids/{bid.BidId}" : $"Read the bid and decide: {decisionUrl}\nThe link is yours alone; opening it changes nothing until you record your decision.";
        return ($"{title}: {ask.Split('.')[0]}", $"{title} (bid {bid.BidId})\n\n{ask}{due}\n\n{act}");
    }
}

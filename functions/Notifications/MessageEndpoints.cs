using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Functions.Workflow;

namespace Partnership.Functions.Notifications;

public sealed record MessageRecord(string EffectId, string To, string Address, string Template, string Subject, string Channel, string Status, string? Detail, DateTimeOffset RecordedAt);

/// <summary>Every message about a bid, by whom, which way and how it went, so the coordinator never has to wonder whether a prompt went out.</summary>
public static class MessageEndpoints
{
    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/bids/{bidId}/messages", async (string bidId, BidRepository bids, MessageLog log, CancellationToken ct) =>
            await bids.LoadAsync(bidId, ct) is null
                ? (IResult)Problems.NoSuchBid()
                : TypedResults.Ok((await log.ListAsync(bidId, ct)).Select(m => new MessageRecord(m.EffectId, m.To, m.Email, m.Template, m.Subject, m.Channel, m.Status, m.Detail, m.RecordedAt))))
            .WithTags("Bids").RequireRoles(RoleGroups.Coordinators).WithName("ListBidMessages");
        return app;
    }
}

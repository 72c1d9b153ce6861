using System.Globalization;
using System.Security.Claims;
using System.Text;
using Partnership.Functions.Bids;
using Partnership.Functions.Budgets;
using Partnership.Functions.Documents;
using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Functions.Notifications;
using Partnership.Functions.Organisations;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Budgets;

namespace Partnership.Functions.Decisions;

/// <summary>
/// A decision link's documents, for the page a decision link opens (Pages/Decisions/Decision). A link that can no
/// longer be used goes back to that page, which says why.
/// </summary>
public static class DecisionEndpoints
{
    public static IEndpointRouteBuilder MapDecisionDocuments(this IEndpointRouteBuilder app)
    {
        app.MapGet("/decisions/{token}/documents/{documentId}", async (string token, string documentId, HttpContext http, DecisionContext context, DocumentStore documents, CancellationToken ct) =>
        {
            var opened = await context.OpenAsync(token, http.User, ct);
            if (opened.Refusal is not null)
            {
                return Results.Redirect($"/decisions/{Uri.EscapeDataString(token)}");
            }

            return opened.Bid!.LatestVersionOf(documentId) is { } document
                ? DocumentEndpoints.Download(await documents.OpenAsync(document.BlobName, ct), document)
                : TypedResults.Problem(statusCode: 404, title: "No such document.", detail: "This bid has no document with that name.");
        }).AllowAnonymous().ExcludeFromDescription().FramedByTeamsOnly().RequireRateLimiting(RateLimits.Links);
        return app;
    }
}

/// <summary>Why a decision link cannot be used, as the page says it: the status, a title and what to do instead.</summary>
public sealed record LinkRefusal(int Status, string Title, string Message);

/// <summary>A link opened: the bid and the person it is for, or why it cannot be used.</summary>
public sealed record OpenedLink(string Token, DecisionLink? Link, BidState? Bid, Actor? Actor, LinkRefusal? Refusal)
{
    /// <summary>Recorded once a decision made with this link is accepted; until then the link can be used again.</summary>
    public string UseKey => UseKeyFor(Link!);

    public static string UseKeyFor(DecisionLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return $"link:{link.Id}";
    }
}

/// <summary>Checks a link against the bid as it is now: signature and expiry, recipient, use, and whether the decision is still waiting.</summary>
public sealed class DecisionContext(DecisionLinks links, BidRepository repository, UserDirectory users, BidCommandService commands, OrganisationStore organisations, BudgetLedger ledger, Funds.FundStore funds)
{
    public async Task<OpenedLink> OpenAsync(string token, ClaimsPrincipal signedIn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(signedIn);
        OpenedLink Refuse(int status, string title, string message) => new(token, null, null, null, new LinkRefusal(status, title, message));

        if (links.Read(token, out var problem) is not { } link)
        {
            return Refuse(problem!.Contains("expired", StringComparison.Ordinal) ? 410 : 400, "This link cannot be used", problem);
        }

        var user = await users.FindAsync(link.UserId, ct);
        var role = link.Stage == BidStage.HceRecommendation ? Role.HceMember : Role.BoardMember;
        if (user is null || user.Role != role)
        {
            return Refuse(403, "This link cannot be used", "The person this link was sent to can no longer make this decision. Ask the coordinator.");
        }

        if (signedIn.Identity?.IsAuthenticated == true && signedIn.Actor().UserId != link.UserId)
        {
            return Refuse(403, "This link was sent to someone else", $"This link was sent to {user.DisplayName}. Decisions are recorded in the name of the person they were sent to, so it cannot be used while you are signed in as someone else.");
        }

        var actor = user.ToActor();
        if (await commands.FindUseAsync(link.BidId, actor, OpenedLink.UseKeyFor(link), ct) is not null)
        {
            return Refuse(409, "This link has already been used", "Your decision was recorded when this link was used before. Each link records one decision.");
        }

        var bid = (await repository.LoadAsync(link.BidId, ct))?.State;
        if (bid is null)
        {
            return Refuse(404, "This link cannot be used", "The bid it was sent about no longer exists.");
        }

        if (!link.IsFor(bid))
        {
            return Refuse(409, "This decision is no longer waiting", $"{bid.Proposal.Title} has moved on since this link was sent (it is now at the {bid.Stage} stage, or a newer request replaced this one). Use the latest message, or sign in to see where it stands.");
        }

        return new OpenedLink(token, link, bid, actor, null);
    }

    public async Task<string> OrganisationNameAsync(string organisationId, CancellationToken ct) =>
        (await organisations.FindAsync(organisationId, ct))?.Name ?? organisationId;

    public async Task<IReadOnlyList<BudgetLine>> LinesAsync(string fundId, CancellationToken ct) => await ledger.LinesAsync(fundId, ct);

    public async Task<Partnership.Workflows.Decisions.DecisionBody?> BodyAsync(string fundId, Partnership.Workflows.Decisions.BodyKind kind, CancellationToken ct) =>
        await funds.FindAsync(fundId, ct) is { } fund ? Governance.Bodies.Of(fund, kind, await users.ListAsync(ct)) : null;
}

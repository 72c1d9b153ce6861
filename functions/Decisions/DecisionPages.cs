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
/// The page a decision link opens. Opening it (GET) only shows the bid, its documents and the form, because mail
/// scanners open links; only the form's POST records the decision, once, as the person the link was sent to.
/// </summary>
public static class DecisionPages
{
    private static readonly CultureInfo British = CultureInfo.GetCultureInfo("en-GB");

    public static IEndpointRouteBuilder MapDecisions(this IEndpointRouteBuilder app)
    {
        var decisions = app.MapGroup("/decisions/{token}").AllowAnonymous().ExcludeFromDescription().FramedByTeamsOnly();
        decisions.MapGet("", async (string token, HttpContext http, DecisionContext context, CancellationToken ct) =>
        {
            var opened = await context.OpenAsync(token, http.User, ct);
            return opened.Problem ?? HtmlPage.Render(200, "Decision", await FormAsync(opened, context, [], null, ct));
        });
        decisions.MapPost("", async (string token, HttpContext http, DecisionContext context, BidCommandService commands, CancellationToken ct) =>
        {
            var opened = await context.OpenAsync(token, http.User, ct);
            if (opened.Problem is not null)
            {
                return opened.Problem;
            }

            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
            var command = ReadCommand(opened, form, out var errors);
            if (command is null)
            {
                return HtmlPage.Render(400, "Decision", await FormAsync(opened, context, errors, form, ct));
            }

            var result = await commands.ExecuteAsync(opened.Bid!.BidId, command, BidCommandService.AttemptKey(opened.UseKey, command), ct);
            if (result.Outcome == CommandOutcome.Accepted)
            {
                await commands.RecordUseAsync(opened.Bid.BidId, opened.Actor!, opened.UseKey, result, ct);
            }

            return result.Outcome == CommandOutcome.Accepted
                ? HtmlPage.Render(200, "Decision recorded", $"<h1>Decision recorded</h1><p>Thank you. Your decision on <strong>{HtmlPage.Encode(opened.Bid.Proposal.Title)}</strong> has been recorded and the coordinator has been told.</p>")
                : HtmlPage.Render(422, "Decision not recorded", $"<h1>Your decision was not recorded</h1><p>{HtmlPage.Encode(result.Reason ?? "The bid could not take this decision.")}</p><p>Nothing has changed.</p>");
        }).DisableAntiforgery();
        decisions.MapGet("/documents/{documentId}", async (string token, string documentId, HttpContext http, DecisionContext context, DocumentStore documents, CancellationToken ct) =>
        {
            var opened = await context.OpenAsync(token, http.User, ct);
            if (opened.Problem is not null)
            {
                return opened.Problem;
            }

            return opened.Bid!.LatestVersionOf(documentId) is { } document
                ? DocumentEndpoints.Download(await documents.OpenAsync(document.BlobName, ct), document)
                : HtmlPage.Render(404, "No such document", "<h1>No such document</h1><p>This bid has no document with that name.</p>");
        });
        return app;
    }

    private static BidCommand? ReadCommand(OpenedLink opened, IFormCollection? form, out Dictionary<string, string[]> errors)
    {
        string? Field(string name) => form?[name].FirstOrDefault() is { Length: > 0 } value ? value : null;
        decimal? Amount(string name, Dictionary<string, string[]> problems)
        {
            if (Field(name) is not { } text)
            {
                return null;
            }

            if (decimal.TryParse(text.Replace("£", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
            {
                return amount;
            }

            problems[name] = ["Enter an amount in pounds and pence, like 50903.27."];
            return null;
        }

        var parsing = new Dictionary<string, string[]>();
        BidCommand? command;
        if (opened.Link!.Stage == BidStage.HceRecommendation)
        {
            DateOnly? until = DateOnly.TryParse(Field("deferUntil"), CultureInfo.InvariantCulture, out var day) ? day : null;
            var request = new HceRecommendationRequest(
                RequestRules.TryParseName<RecommendationKind>(Field("decision"), out var kind) ? kind : null,
                Amount("revenue", parsing), Amount("capital", parsing), Field("conditions"), until, Field("reasons"));
            command = request.ToCommand(opened.Actor!, out errors);
        }
        else
        {
            var request = new BoardDecisionRequest(
                RequestRules.TryParseName<BoardVerdict>(Field("decision"), out var verdict) ? verdict : null,
                Field("budgetLineId"), Field("conditions"), Field("reason"));
            command = request.ToCommand(opened.Actor!, out errors);
        }

        foreach (var (field, messages) in parsing)
        {
            errors[field] = messages;
        }

        return errors.Count > 0 ? null : command;
    }

    private static async Task<string> FormAsync(OpenedLink opened, DecisionContext context, Dictionary<string, string[]> errors, IFormCollection? form, CancellationToken ct)
    {
        var bid = opened.Bid!;
        string Value(string name, string fallback = "") => HtmlPage.Encode(form?[name].FirstOrDefault() ?? fallback);
        var html = new StringBuilder();
        if (errors.Count > 0)
        {
            html.Append("<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>There is a problem</h2><ul>");
            foreach (var (field, messages) in errors)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#{HtmlPage.Encode(ToId(field))}\">{HtmlPage.Encode(string.Join(" ", messages))}</a></li>");
            }

            html.Append("</ul></div>");
        }

        var organisation = await context.OrganisationNameAsync(bid.OrganisationId, ct);
        var asked = bid.Stage == BidStage.HceRecommendation ? "HCE recommendation" : "Partnership Board decision";
        html.Append(CultureInfo.InvariantCulture, $"<h1>{HtmlPage.Encode(bid.Proposal.Title)}</h1><p>{HtmlPage.Encode(organisation)} asks for {Pounds(bid.Proposal.Requested)}.</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Your {asked} is due by {HtmlPage.Encode(bid.DecisionDueAt!.Value.ToString("d MMMM yyyy", British))}.</p>");
        html.Append(CultureInfo.InvariantCulture, $"<h2>Summary</h2><p>{HtmlPage.Encode(bid.Proposal.Summary)}</p>");
        if (bid.Recommendation is { Kind: RecommendationKind.Approve } recommendation)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>HCE recommended approval of {Pounds(recommendation.Amount!)}{(recommendation.Conditions is { } c ? $", on condition: {HtmlPage.Encode(c)}" : "")}.</p>");
        }

        html.Append("<h2>Documents</h2><ul>");
        foreach (var document in bid.Documents.GroupBy(d => d.DocumentId).Select(g => g.MaxBy(d => d.Version)!))
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/decisions/{opened.Token}/documents/{HtmlPage.Encode(document.DocumentId)}\">{HtmlPage.Encode(document.FileName)}</a> ({HtmlPage.Encode(document.Kind.ToString())})</li>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</ul><form method=\"post\" action=\"/decisions/{opened.Token}\"><fieldset><legend>Your decision</legend>");
        if (bid.Stage == BidStage.HceRecommendation)
        {
            html.Append(Radio("decision", "Approve", "Recommend approval", form)).Append(Radio("decision", "Defer", "Defer", form)).Append(Radio("decision", "Reject", "Recommend rejection", form));
            html.Append(CultureInfo.InvariantCulture, $"<label for=\"revenue\">Revenue (£)</label><input id=\"revenue\" name=\"revenue\" inputmode=\"decimal\" value=\"{Value("revenue", bid.Proposal.Requested.Revenue.ToString("0.00", CultureInfo.InvariantCulture))}\">");
            html.Append(CultureInfo.InvariantCulture, $"<label for=\"capital\">Capital (£)</label><input id=\"capital\" name=\"capital\" inputmode=\"decimal\" value=\"{Value("capital", bid.Proposal.Requested.Capital.ToString("0.00", CultureInfo.InvariantCulture))}\">");
            html.Append(CultureInfo.InvariantCulture, $"<label for=\"conditions\">Conditions</label><textarea id=\"conditions\" name=\"conditions\">{Value("conditions")}</textarea>");
            html.Append(CultureInfo.InvariantCulture, $"<label for=\"deferuntil\">Defer until (for a deferral)</label><input id=\"deferuntil\" name=\"deferUntil\" type=\"date\" value=\"{Value("deferUntil")}\">");
            html.Append(CultureInfo.InvariantCulture, $"<label for=\"reasons\">Reasons (for a deferral or rejection)</label><textarea id=\"reasons\" name=\"reasons\">{Value("reasons")}</textarea>");
        }
        else
        {
            html.Append(Radio("decision", "Approve", "Approve the recommendation", form)).Append(Radio("decision", "Reject", "Reject the recommendation", form));
            html.Append("<label for=\"budgetlineid\">Pay from budget line</label><select id=\"budgetlineid\" name=\"budgetLineId\"><option value=\"\">Choose a line</option>");
            foreach (var line in await context.LinesAsync(bid.FundId, ct))
            {
                var selected = form?["budgetLineId"].FirstOrDefault() == line.Id ? " selected" : "";
                html.Append(CultureInfo.InvariantCulture, $"<option value=\"{HtmlPage.Encode(line.Id)}\"{selected}>{HtmlPage.Encode(line.Name)}: {Pounds(line.Unallocated)} unallocated</option>");
            }

            html.Append("</select>");
            html.Append(CultureInfo.InvariantCulture, $"<label for=\"conditions\">Conditions</label><textarea id=\"conditions\" name=\"conditions\">{Value("conditions")}</textarea>");
            html.Append(CultureInfo.InvariantCulture, $"<label for=\"reason\">Reason (for a rejection)</label><textarea id=\"reason\" name=\"reason\">{Value("reason")}</textarea>");
        }

        return html.Append("</fieldset><button type=\"submit\">Record my decision</button></form>").ToString();
    }

    private static string Radio(string name, string value, string label, IFormCollection? form)
    {
        var id = $"{name}-{value}".ToLowerInvariant();
        var checkedAttribute = form?[name].FirstOrDefault() == value ? " checked" : "";
        return $"<div><input type=\"radio\" id=\"{id}\" name=\"{name}\" value=\"{value}\"{checkedAttribute}><label for=\"{id}\">{HtmlPage.Encode(label)}</label></div>";
    }

    private static string ToId(string field) => field.Equals("Decision", StringComparison.OrdinalIgnoreCase) ? "decision-approve" : field.ToLowerInvariant();

    private static string Pounds(Funding amount)
    {
        var parts = new List<string>();
        if (amount.Revenue > 0m)
        {
            parts.Add($"{Money.Pounds(amount.Revenue)} revenue");
        }

        if (amount.Capital > 0m)
        {
            parts.Add($"{Money.Pounds(amount.Capital)} capital");
        }

        return parts.Count == 0 ? Money.Pounds(0m) : string.Join(" and ", parts);
    }
}

/// <summary>A link opened: the bid and the person it is for, or the page that says why it cannot be used.</summary>
public sealed record OpenedLink(string Token, DecisionLink? Link, BidState? Bid, Actor? Actor, IResult? Problem)
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
public sealed class DecisionContext(DecisionLinks links, BidRepository repository, UserDirectory users, BidCommandService commands, OrganisationStore organisations, BudgetLedger ledger)
{
    public async Task<OpenedLink> OpenAsync(string token, ClaimsPrincipal signedIn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(signedIn);
        OpenedLink Refuse(int status, string title, string message) => new(token, null, null, null, HtmlPage.Render(status, title, $"<h1>{HtmlPage.Encode(title)}</h1><p>{HtmlPage.Encode(message)}</p><p>Nothing has been changed.</p>"));

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
}

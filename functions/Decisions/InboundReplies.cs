using System.Globalization;
using System.Net.Mail;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Functions.Notifications;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Decisions;

/// <summary>
/// SendGrid Inbound Parse: an approver answers a decision prompt by replying to their own reply address. The address's
/// ticket and the sender must both match; the first line of the reply must be APPROVE, REJECT or DEFER in the accepted
/// forms. Anything unclear gets an answer that explains the accepted words, and changes nothing. The reply address is
/// single-use: the decision is recorded with the ticket as its idempotency key.
/// </summary>
public static partial class InboundReplies
{
    /// <summary>SendGrid posts messages of up to 30 MB with their attachments; files go to disk, text parts stay small.</summary>
    public const long MaxBodyBytes = 30 * 1024 * 1024;

    private const int MaxTextPartLength = 1024 * 1024;

    private const string Help = """
        Start your reply with one of these (anything after the first line is ignored):
          APPROVE budget-line-id           propose the amount requested, from that budget line (HCE)
          APPROVE 50903.27 budget-line-id conditions...   propose a different amount, with conditions (HCE)
          APPROVE budget-line-id           approve HCE's recommendation from that budget line (Board)
          REJECT your reason
          DEFER 12 January 2027 reason     defer to a date (HCE)
        On a motion put to you, start it with one of:
          INTEREST and what it is          you have an interest in the applicant, and take no part
          AGREE
          OBJECT and your reason           the motion then goes to the next meeting
          ABSTAIN
        """;

    public static IEndpointRouteBuilder MapInboundReplies(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/sendgrid/inbound/{secret}", ReceiveAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery().WithBodyLimit(MaxBodyBytes).RequireRateLimiting(RateLimits.Webhooks);
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        string secret, HttpRequest request, IOptions<EmailOptions> options, ReplyAddresses replies, UserDirectory users, BidRepository repository,
        BidCommandService commands, INotificationSender sender, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        if (options.Value.InboundSecret is not { Length: > 0 } expected || !string.Equals(secret, expected, StringComparison.Ordinal) || !request.HasFormContentType)
        {
            return TypedResults.NotFound();
        }

        // Attachments go to disk as they stream in; the text parts a reply is read from are held to a size a reply has.
        var form = await request.ReadFormAsync(ct);
        if (form.FirstOrDefault(f => f.Value.Sum(v => v?.Length ?? 0) > MaxTextPartLength) is { Key: { } tooLong })
        {
            return Problems.Field(tooLong, $"Parts of a reply other than attachments are at most {MaxTextPartLength:N0} characters.");
        }

        if (!TryReadEnvelope(form, out var from, out var recipients))
        {
            return Problems.Field("envelope", "The envelope is not valid JSON naming the sender and recipients.");
        }

        if (from is null)
        {
            return TypedResults.Ok();
        }

        // A From line is easy to forge: only a reply that SendGrid saw pass SPF or DKIM for the sender's domain can
        // speak for an approver. Nothing is mailed back, since the address may not be the one who sent it.
        if (!IsAuthenticated(form, from))
        {
            LogUnauthenticated(loggers.CreateLogger(typeof(InboundReplies)));
            return TypedResults.Ok();
        }

        // Inbound Parse retries whatever is not answered 2xx, so every outcome below is a 200 with an explanation mailed back.
        ReplyTicket? ticket = null;
        foreach (var address in recipients)
        {
            ticket ??= await replies.FindAsync(address, ct);
        }

        async Task<IResult> AnswerAsync(string subject, string text)
        {
            await sender.SendReplyAsync(from, subject, text, ct);
            return TypedResults.Ok();
        }

        if (ticket is null)
        {
            return await AnswerAsync("We could not match your reply to a decision", "Your reply did not reach a decision we are waiting for: the reply address is not one we issued, or it was changed. Nothing has been recorded. Use the link in the message, or ask the coordinator.");
        }

        var user = await users.FindAsync(ticket.UserId, ct);
        if (user is null || !string.Equals(user.Email, from, StringComparison.OrdinalIgnoreCase))
        {
            return await AnswerAsync("Your reply was not recorded", "This reply address belongs to another approver, so a reply from your address cannot be recorded with it. Nothing has been changed.");
        }

        var bid = (await repository.LoadAsync(ticket.BidId, ct))?.State;
        var actor = user.ToActor();
        var key = $"reply:{ticket.Code}";
        if (bid is null || ticket.ExpiresAt <= clock.GetUtcNow())
        {
            return await AnswerAsync("Your reply was not recorded", "This reply address has expired. Nothing has been changed; use the partnership's site, or ask the coordinator.");
        }

        if (await commands.FindUseAsync(bid.BidId, actor, key, ct) is not null)
        {
            return await AnswerAsync($"Already recorded: {bid.Proposal.Title}", "A decision was already sent from this reply address; each address records one decision. Nothing more has been changed.");
        }

        if (!ticket.IsFor(bid))
        {
            return await AnswerAsync($"No longer waiting: {bid.Proposal.Title}", $"{bid.Proposal.Title} has moved on since we asked you (it is now at the {bid.Stage} stage, or a newer request replaced this one). Nothing has been changed.");
        }

        var text = form["text"].ToString();
        if (Read(FirstLine(text), bid, actor) is not { } command)
        {
            return await AnswerAsync($"We could not read your decision on {bid.Proposal.Title}", $"We could not tell what you decided, so nothing has been recorded.\n\n{Help}");
        }

        var result = await commands.ExecuteAsync(bid.BidId, command, BidCommandService.AttemptKey(key, command), ct);
        if (result.Outcome == CommandOutcome.Accepted)
        {
            await commands.RecordUseAsync(bid.BidId, actor, key, result, ct);
        }

        return result.Outcome == CommandOutcome.Accepted
            ? await AnswerAsync($"Recorded: your decision on {bid.Proposal.Title}", "Thank you. Your decision has been recorded and the coordinator has been told.")
            : await AnswerAsync($"Not recorded: your decision on {bid.Proposal.Title}", $"Your decision could not be recorded: {result.Reason}\nNothing has been changed.\n\n{Help}");
    }

    /// <summary>The command the first line asks for, or null when it is not one of the accepted forms for this decision.</summary>
    internal static BidCommand? Read(string line, BidState bid, Actor actor)
    {
        if (bid.DefinitionVersion >= BidWorkflowDefinition.BodiesVersion && bid.PendingMotion is { } motion)
        {
            return ReadVote(line, motion, actor);
        }

        if (Approve().Match(line) is { Success: true } approve)
        {
            var rest = approve.Groups["rest"].Value.Trim();
            if (bid.Stage == BidStage.BoardApproval)
            {
                var parts = rest.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
                return parts.Length == 0 ? null : new ApproveRecommendation(actor, parts[0], parts.Length > 1 ? parts[1] : null);
            }

            // From version 4 HCE's proposal names the budget line, after the amount if there is one.
            var namesLine = bid.DefinitionVersion >= BidWorkflowDefinition.BodiesVersion;
            if (namesLine && Amount().Match(rest) is not { Success: true } && rest.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries) is [var onlyLine, .. var after])
            {
                return IsLineId(onlyLine) ? new RecommendApproval(actor, bid.Proposal.Requested, after.FirstOrDefault(), onlyLine) : null;
            }

            if (rest.Length == 0)
            {
                return namesLine ? null : new RecommendApproval(actor, bid.Proposal.Requested, null);
            }

            // Only "APPROVE", or "APPROVE" and one plain amount (optionally with £ and thousands commas, at most pence),
            // then any conditions: a reply that does not say exactly how much is asked again, never guessed at.
            if (Amount().Match(rest) is not { Success: true } amount
                || !decimal.TryParse(amount.Groups["amount"].Value.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var pounds)
                || !Money.IsAmount(pounds))
            {
                return null;
            }

            var conditions = amount.Groups["rest"].Value.Trim();
            var funding = bid.Proposal.Requested.Capital > 0m && bid.Proposal.Requested.Revenue == 0m ? new Funding(0m, pounds) : new Funding(pounds, 0m);
            if (namesLine)
            {
                var parts = conditions.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
                return parts.Length == 0 || !IsLineId(parts[0]) ? null : new RecommendApproval(actor, funding, parts.Length > 1 ? parts[1] : null, parts[0]);
            }

            return new RecommendApproval(actor, funding, conditions.Length == 0 ? null : conditions);
        }

        if (Reject().Match(line) is { Success: true } reject)
        {
            var reason = reject.Groups["reason"].Value.Trim();
            return bid.Stage == BidStage.BoardApproval ? new RejectRecommendation(actor, reason) : new RecommendRejection(actor, reason);
        }

        if (bid.Stage == BidStage.HceRecommendation && Defer().Match(line) is { Success: true } defer
            && DateOnly.TryParse(defer.Groups["date"].Value, CultureInfo.GetCultureInfo("en-GB"), DateTimeStyles.None, out var until))
        {
            var reason = defer.Groups["reason"].Value.Trim();
            return new DeferDecision(actor, until, reason.Length == 0 ? "Deferred by email reply." : reason);
        }

        return null;
    }

    /// <summary>A member's vote on the motion before their body: INTEREST and its nature, AGREE, OBJECT and a reason, or ABSTAIN.</summary>
    private static CastVote? ReadVote(string line, Motion motion, Actor actor)
    {
        if (Vote().Match(line) is not { Success: true } vote)
        {
            return null;
        }

        var rest = vote.Groups["rest"].Value.Trim();
        return vote.Groups["word"].Value.ToUpperInvariant() switch
        {
            "INTEREST" => rest.Length == 0 ? null : new CastVote(actor, motion.Id, VoteChoice.Abstains, Interest: rest),
            "AGREE" => new CastVote(actor, motion.Id, VoteChoice.Agrees),
            "OBJECT" => rest.Length == 0 ? null : new CastVote(actor, motion.Id, VoteChoice.Objects, rest),
            _ => new CastVote(actor, motion.Id, VoteChoice.Abstains),
        };
    }

    /// <summary>A budget line's id as lines are named (lower-case letters, digits and hyphens, with a letter), so an amount written oddly is never taken for one.</summary>
    private static bool IsLineId(string token) => LineId().IsMatch(token) && token.Any(char.IsAsciiLetterLower);

    /// <summary>The first line the approver wrote, above any quoted message.</summary>
    private static string FirstLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('>')) ?? "";

    /// <summary>The sender and recipients, from the envelope when it is there (what the mail servers saw), else the headers.</summary>
    private static bool TryReadEnvelope(IFormCollection form, out string? from, out IReadOnlyList<string> recipients)
    {
        var addresses = new List<string>();
        from = null;
        recipients = addresses;
        if (form["envelope"].ToString() is { Length: > 0 } envelope)
        {
            try
            {
                using var json = JsonDocument.Parse(envelope);
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                if (json.RootElement.TryGetProperty("from", out var sender) && sender.ValueKind == JsonValueKind.String && sender.GetString() is { Length: > 0 } address)
                {
                    from = address.Trim();
                }

                if (json.RootElement.TryGetProperty("to", out var to))
                {
                    if (to.ValueKind != JsonValueKind.Array)
                    {
                        return false;
                    }

                    addresses.AddRange(to.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString() ?? ""));
                }
            }
            catch (JsonException)
            {
                return false;
            }
        }

        from ??= MailAddress.TryCreate(form["from"].ToString(), out var parsed) ? parsed.Address : null;
        addresses.AddRange(form["to"].ToString().Split(',').Select(a => MailAddress.TryCreate(a.Trim(), out var parsedTo) ? parsedTo.Address : ""));
        recipients = [.. addresses.Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
        return true;
    }

    /// <summary>Inbound Parse's own checks: <c>SPF</c> is "pass", or <c>dkim</c> lists "@sender-domain : pass".</summary>
    internal static bool IsAuthenticated(IFormCollection form, string from)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(from);
        if (string.Equals(form["SPF"].ToString().Trim(), "pass", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var domain = from[(from.LastIndexOf('@') + 1)..];
        return DkimResult().Matches(form["dkim"].ToString()).Any(m =>
            string.Equals(m.Groups["domain"].Value, domain, StringComparison.OrdinalIgnoreCase) && string.Equals(m.Groups["result"].Value, "pass", StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,62}$")]
    private static partial Regex LineId();

    [GeneratedRegex(@"^(?<word>INTEREST|AGREE|OBJECT|ABSTAIN)\b[\s:,-]*(?<rest>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex Vote();

    [GeneratedRegex(@"^APPROVE\b(?<rest>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex Approve();

    [GeneratedRegex(@"^£?(?<amount>(\d{1,3}(,\d{3})+|\d+)(\.\d{2})?)(\s+(?<rest>.*))?$")]
    private static partial Regex Amount();

    [GeneratedRegex(@"@(?<domain>[^\s:{}]+)\s*:\s*(?<result>[a-z]+)", RegexOptions.IgnoreCase)]
    private static partial Regex DkimResult();

    [LoggerMessage(Level = LogLevel.Warning, Message = "An inbound reply passed neither SPF nor DKIM for its sender's domain; nothing was recorded or sent")]
    private static partial void LogUnauthenticated(ILogger logger);

    [GeneratedRegex(@"^REJECT\b[\s:,-]*(?<reason>\S.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex Reject();

    [GeneratedRegex(@"^DEFER\b[\s:,-]*(?<date>\d{1,2} [A-Za-z]+ \d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\s*(?<reason>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex Defer();
}

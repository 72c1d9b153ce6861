using Microsoft.AspNetCore.Http.HttpResults;
using Partnership.Functions.Workflow;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Http;

/// <summary>How command outcomes and request mistakes become HTTP answers: ProblemDetails for every refusal.</summary>
public static class Problems
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static ProblemHttpResult NoSuchBid() =>
        TypedResults.Problem(statusCode: 404, title: "No such bid.", detail: "There is no bid with this id that you can read.");

    /// <summary>Where the answer to a command sent with <paramref name="idempotencyKey"/> can be asked for.</summary>
    public static string CommandStatusUrl(string bidId, string idempotencyKey) => $"/api/bids/{bidId}/commands/{Uri.EscapeDataString(idempotencyKey)}";

    public static ValidationProblem Fields(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request has mistakes.");

    public static ValidationProblem Field(string field, string error) => Fields(new() { [field] = [error] });

    /// <summary>A list's stage filter: none, or a stage by name; anything else is the problem to answer with.</summary>
    public static ValidationProblem? StageFilter(string? stage, out BidStage? filter)
    {
        filter = null;
        if (stage is null)
        {
            return null;
        }

        if (!RequestRules.TryParseName<BidStage>(stage, out var parsed))
        {
            return Field(nameof(stage), $"Stage is one of {string.Join(", ", Enum.GetNames<BidStage>())}.");
        }

        filter = parsed;
        return null;
    }

    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>Whether a key can be one: what a client may send, and what a status address may carry.</summary>
    public static bool IsIdempotencyKey(string? key) =>
        !string.IsNullOrWhiteSpace(key) && key.Length <= MaxIdempotencyKeyLength && !key.Any(char.IsControl);

    public const string IdempotencyKeyRule = "An Idempotency-Key is up to 200 characters, without control characters, new for each new command.";

    /// <summary>Every command needs a client-chosen key, so a retry after a lost answer is applied once.</summary>
    public static string? IdempotencyKey(HttpContext context, out ValidationProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = context.Request.Headers[IdempotencyHeader].FirstOrDefault();
        if (!IsIdempotencyKey(key))
        {
            problem = Field(IdempotencyHeader, $"Send an Idempotency-Key header. {IdempotencyKeyRule}");
            return null;
        }

        problem = null;
        return key;
    }

    /// <summary><paramref name="statusUrl"/> is where a caller told the command is pending asks for its answer.</summary>
    public static IResult From(CommandResult result, string? statusUrl = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            CommandOutcome.Accepted or CommandOutcome.Ignored => TypedResults.Ok(new CommandAnswer(result.BidId, result.Outcome, result.Version, result.Stage, result.Reason)),
            CommandOutcome.NotFound => TypedResults.Problem(statusCode: 404, title: "No such bid.", detail: result.Reason),
            CommandOutcome.KeyReused => TypedResults.Problem(statusCode: 422, title: "Idempotency-Key reused.", detail: result.Reason),
            CommandOutcome.Pending => TypedResults.Accepted(statusUrl, new CommandAnswer(result.BidId, result.Outcome, result.Version, result.Stage, result.Reason)),
            CommandOutcome.Refused => result.Refusal switch
            {
                RefusalKind.Forbidden => TypedResults.Problem(statusCode: 403, title: "You cannot do this.", detail: result.Reason),
                RefusalKind.WrongStage => TypedResults.Problem(statusCode: 409, title: "Not at this stage.", detail: result.Reason),
                _ => TypedResults.Problem(statusCode: 422, title: "The bid cannot take this.", detail: result.Reason),
            },
            _ => throw new InvalidOperationException($"Unknown outcome {result.Outcome}."),
        };
    }
}

/// <summary>The answer to an accepted command: where the bid now stands.</summary>
public sealed record CommandAnswer(string BidId, CommandOutcome Outcome, int? Version, BidStage? Stage, string? Note);

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

    public static ValidationProblem Fields(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request has mistakes.");

    public static ValidationProblem Field(string field, string error) => Fields(new() { [field] = [error] });

    /// <summary>Every command needs a client-chosen key, so a retry after a lost answer is applied once.</summary>
    public static string? IdempotencyKey(HttpContext context, out ValidationProblem? problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = context.Request.Headers[IdempotencyHeader].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
        {
            problem = Field(IdempotencyHeader, "Send an Idempotency-Key header (up to 200 characters) that is new for each new command.");
            return null;
        }

        problem = null;
        return key;
    }

    public static IResult From(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            CommandOutcome.Accepted or CommandOutcome.Ignored => TypedResults.Ok(new CommandAnswer(result.BidId, result.Outcome, result.Version, result.Stage, result.Reason)),
            CommandOutcome.NotFound => TypedResults.Problem(statusCode: 404, title: "No such bid.", detail: result.Reason),
            CommandOutcome.KeyReused => TypedResults.Problem(statusCode: 422, title: "Idempotency-Key reused.", detail: result.Reason),
            CommandOutcome.Busy => TypedResults.Problem(statusCode: 503, title: "The bid is busy.", detail: result.Reason),
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

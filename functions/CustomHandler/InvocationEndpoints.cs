using System.Text.Json;
using System.Text.Json.Serialization;
using Partnership.Functions.Budgets;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Notifications;
using Partnership.Functions.Workflow;
using Partnership.Workflows;

namespace Partnership.Functions.CustomHandler;

/// <summary>The Functions host's request to a custom handler for a non-HTTP trigger: binding data by name, and trigger metadata.</summary>
public sealed record InvocationRequest(Dictionary<string, JsonElement>? Data, Dictionary<string, JsonElement>? Metadata);

/// <summary>The custom handler's answer: output bindings, log lines for the host, and the return value.</summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] Dictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue);

/// <summary>
/// The timer and queue functions, as the Functions host invokes them: <c>POST /{FunctionName}</c>. A non-2xx
/// answer fails the invocation, so the host retries it (and, for the queue, poisons it in the end). Both are safe
/// to call from anywhere: the sweep only fires what is due, and a dispatch only carries out a committed effect once.
/// </summary>
public static class InvocationEndpoints
{
    public const string TimerFunction = "TimerSweep";
    public const string QueueFunction = "EffectDispatch";
    public const string QueueBinding = "effect";

    public static IEndpointRouteBuilder MapFunctionInvocations(this IEndpointRouteBuilder app)
    {
        var functions = app.MapGroup("").WithTags("Functions host").AllowAnonymous();
        functions.MapPost($"/{TimerFunction}", async (InvocationRequest request, TimerSweep sweep, OutboxRecovery recovery, BudgetLedger ledger, BidCommandService commands, DigestSender digests, CancellationToken ct) =>
        {
            var swept = await sweep.SweepAsync(ct);
            var requeued = await recovery.RecoverAsync(ct);
            var settled = await ledger.ReconcileAsync(commands.CommittedAtAsync, ct);
            var digested = await digests.SendDueAsync(ct);
            return Results.Json(new InvocationResponse([], [$"{swept.Due} timers due, {swept.Fired} fired, {swept.Dropped} no longer applied; {requeued} effects requeued; {settled} budget moves settled; {digested} digests sent"], null));
        }).WithName(TimerFunction);

        functions.MapPost($"/{QueueFunction}", async (InvocationRequest request, EffectDispatcher dispatcher, CancellationToken ct) =>
        {
            if (request.Data is null || !request.Data.TryGetValue(QueueBinding, out var item) || ReadMessage(item) is not { } message)
            {
                return Results.Json(new InvocationResponse([], [$"The invocation has no '{QueueBinding}' queue item naming a bid and an effect."], null), statusCode: 400);
            }

            try
            {
                var outcome = await dispatcher.DispatchAsync(message, ct);
                return Results.Json(new InvocationResponse([], [$"{message.BidId}/{message.EffectId}: {outcome}"], null));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Json(new InvocationResponse([], [$"{message.BidId}/{message.EffectId} failed: {e.Message}"], null), statusCode: 500);
            }
        }).WithName(QueueFunction);
        return app;
    }

    /// <summary>The host passes a JSON queue message either as a string or already parsed; accept both.</summary>
    private static EffectMessage? ReadMessage(JsonElement item)
    {
        try
        {
            var message = item.ValueKind == JsonValueKind.String
                ? JsonSerializer.Deserialize<EffectMessage>(item.GetString()!, WorkflowJson.Options)
                : item.Deserialize<EffectMessage>(WorkflowJson.Options);
            return message is not null && Ids.IsSafe(message.BidId) && Ids.IsSafe(message.EffectId) ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

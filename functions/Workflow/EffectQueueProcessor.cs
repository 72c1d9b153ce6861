using System.Text.Json;
using Partnership.Functions.Infrastructure;

namespace Partnership.Functions.Workflow;

/// <summary>
/// Reads the effects queue when the app runs without the Functions host, with the host's retry rules: a failed
/// message becomes visible again after a growing delay, and after <see cref="MaxDequeueCount"/> tries it is moved
/// to the poison queue.
/// </summary>
public sealed partial class EffectQueueProcessor(Storage storage, EffectDispatcher dispatcher, IConfiguration configuration, ILogger<EffectQueueProcessor> logger)
{
    public const int MaxDequeueCount = 5;

    /// <summary>The first retry's delay; each later one doubles it, up to five minutes.</summary>
    private readonly TimeSpan _firstRetry = configuration.GetValue("Effects:FirstRetryDelay", TimeSpan.FromSeconds(5));

    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken)
    {
        var messages = (await storage.Effects.ReceiveMessagesAsync(16, TimeSpan.FromMinutes(2), cancellationToken)).Value;
        foreach (var message in messages)
        {
            try
            {
                var effect = JsonSerializer.Deserialize<EffectMessage>(message.MessageText, WorkflowJson.Options)
                    ?? throw new JsonException("The effect message was empty.");
                await dispatcher.DispatchAsync(effect, cancellationToken);
                await storage.Effects.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (message.DequeueCount >= MaxDequeueCount)
                {
                    LogPoisoned(logger, e, message.MessageId, message.DequeueCount);
                    await storage.EffectsPoison.SendMessageAsync(message.MessageText, cancellationToken);
                    await storage.Effects.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                }
                else
                {
                    LogRetrying(logger, e, message.MessageId, message.DequeueCount);
                    await storage.Effects.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: Backoff(_firstRetry, message.DequeueCount), cancellationToken: cancellationToken);
                }
            }
        }

        return messages.Length;
    }

    internal static TimeSpan Backoff(TimeSpan first, long dequeueCount) =>
        TimeSpan.FromSeconds(Math.Min(300, first.TotalSeconds * Math.Pow(2, dequeueCount - 1)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Effect message {MessageId} failed on try {DequeueCount}; it will be retried")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string messageId, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Effect message {MessageId} failed {DequeueCount} times and was moved to the poison queue")]
    private static partial void LogPoisoned(ILogger logger, Exception exception, string messageId, long dequeueCount);
}

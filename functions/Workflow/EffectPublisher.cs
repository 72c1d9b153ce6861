using System.Text.Json;
using Partnership.Functions.Infrastructure;

namespace Partnership.Functions.Workflow;

/// <summary>A pointer to one outbox row; the row, not the message, is the truth.</summary>
public sealed record EffectMessage(string BidId, string EffectId);

public interface IEffectPublisher
{
    Task EnqueueAsync(IEnumerable<EffectMessage> messages, CancellationToken cancellationToken);
}

public sealed class QueueEffectPublisher(Storage storage) : IEffectPublisher
{
    public async Task EnqueueAsync(IEnumerable<EffectMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            await storage.Effects.SendMessageAsync(JsonSerializer.Serialize(message, WorkflowJson.Options), cancellationToken);
        }
    }
}

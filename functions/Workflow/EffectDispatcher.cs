using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Workflow;

/// <summary>
/// A command an effect asks a bid to take next: its own bid when <paramref name="BidId"/> is null, or another, decided
/// by <paramref name="Rules"/>.
/// </summary>
public sealed record FollowUp(BidCommand Command, string? BidId = null, BidRules? Rules = null);

/// <summary>Carries out one kind of effect; each is registered in DI, and the dispatcher finds it by the effect's type.</summary>
public interface IEffectHandler
{
    Type EffectType { get; }

    /// <summary>Answers the command the effect asks a bid to take next, if any.</summary>
    Task<FollowUp?> HandleAsync(BidState bid, string effectId, Effect effect, CancellationToken cancellationToken);
}

public abstract class EffectHandler<T> : IEffectHandler
    where T : Effect
{
    public Type EffectType => typeof(T);

    public Task<FollowUp?> HandleAsync(BidState bid, string effectId, Effect effect, CancellationToken cancellationToken) =>
        HandleAsync(bid, effectId, (T)effect, cancellationToken);

    protected abstract Task<FollowUp?> HandleAsync(BidState bid, string effectId, T effect, CancellationToken cancellationToken);
}

/// <summary>An effect that can never be carried out as it stands (a provider refused it for good); trying again would not help.</summary>
public class PermanentEffectException(string message) : Exception(message);

/// <summary>
/// Carries out one recorded effect with its handler and records how it went. A handler that throws leaves the
/// effect pending and the exception travels back to the orchestration, which tries again with growing pauses.
/// </summary>
public sealed class EffectDispatcher(BidRepository repository, IEnumerable<IEffectHandler> handlers, TimeProvider clock)
{
    private readonly Dictionary<Type, IEffectHandler> _handlers = handlers.ToDictionary(h => h.EffectType);

    public async Task<FollowUp?> DispatchAsync(EffectRef effect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(effect);
        using var activity = Hosting.Telemetry.StartBidActivity("bid effect", effect.BidId)?.SetTag("bid.effect", effect.EffectId);
        var item = await repository.FindEffectAsync(effect.BidId, effect.EffectId, cancellationToken);
        if (item is null || item.IsDone || item.FailedAt is not null)
        {
            return null;
        }

        var handler = _handlers.GetValueOrDefault(item.Effect.GetType())
            ?? throw new InvalidOperationException($"No handler for effect {item.EffectId} ({item.Effect.GetType().Name}).");
        var snapshot = await repository.LoadAsync(effect.BidId, cancellationToken)
            ?? throw new InvalidOperationException($"Bid {effect.BidId} has an effect but no state.");
        FollowUp? followUp;
        try
        {
            followUp = await handler.HandleAsync(snapshot.State, item.EffectId, item.Effect, cancellationToken);
        }
        catch (PermanentEffectException e)
        {
            await repository.RecordEffectFailureAsync(item, e.Message, cancellationToken, clock.GetUtcNow());
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await repository.RecordEffectFailureAsync(item, e.Message, cancellationToken);
            throw;
        }

        await repository.MarkEffectDoneAsync(item, clock.GetUtcNow(), cancellationToken);
        return followUp;
    }
}

/// <summary>
/// Gives the unspent part of a grant to the bid it is transferred to. The receiving bid is asked first, on its state
/// as recorded, so a refusal shows on this effect for the coordinator; the bid's orchestration then sends the
/// command itself, as no client is at hand where it runs in Azure.
/// </summary>
public sealed class TransferFundingHandler(BidPrecheck prechecks, TimeProvider clock) : EffectHandler<TransferFunding>
{
    protected override async Task<FollowUp?> HandleAsync(BidState bid, string effectId, TransferFunding effect, CancellationToken cancellationToken)
    {
        var receive = new ReceiveTransfer(Actor.System, bid.BidId, effect.LineId, effect.Amount);
        var precheck = await prechecks.CheckAsync(effect.ToBidId, receive, clock.GetUtcNow(), cancellationToken);
        return precheck.Answer is { } refused

            // The money is back on the line, unallocated; the failed effect shows the coordinator why it did not arrive.
            ? throw new PermanentEffectException($"Bid {effect.ToBidId} could not take the transfer: {refused.Reason}")
            : new FollowUp(receive, effect.ToBidId, precheck.Rules);
    }
}

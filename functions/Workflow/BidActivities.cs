using Microsoft.DurableTask;
using Partnership.Functions.Budgets;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Workflow;

/// <summary>Everything one accepted step records, in one transaction.</summary>
public sealed record StepRecord(
    bool IsNew,
    BidState After,
    IReadOnlyList<BidEvent> Events,
    IReadOnlyList<Effect> Effects,
    string CommandKey,
    string Fingerprint,
    CommandResult Result,
    DateTimeOffset At);

public sealed record MoneyMove(string BidId, int Version, string CommandKey, IReadOnlyList<BudgetMove> Moves);

public sealed record AnswerRecord(string BidId, string CommandKey, string Fingerprint, CommandResult Result);

public sealed record EffectRef(string BidId, string EffectId);

/// <summary>An effect carried out, with the command it asks a bid to take next, if any.</summary>
public sealed record EffectDone(string EffectId, FollowUp? FollowUp);

/// <summary>
/// What recording a step came to: the effects carried out with it, and those left, the first of which (with
/// <paramref name="Error"/>) was tried once and failed, the others not yet tried.
/// </summary>
public sealed record StepCommitted(IReadOnlyList<EffectDone> Done, IReadOnlyList<string> Left, string? Error = null);

public sealed record EffectFailure(string BidId, string EffectId, string Error);

/// <summary>Moves a step's money on its budget lines, all or none; answers why not when a line cannot give it.</summary>
public sealed class MoveMoney(BudgetLedger ledger) : TaskActivity<MoneyMove, string?>
{
    public override Task<string?> RunAsync(TaskActivityContext context, MoneyMove input) => ExecuteAsync(input);

    /// <summary>The work itself, which the Functions app's activity trigger calls too.</summary>
    public async Task<string?> ExecuteAsync(MoneyMove input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await ledger.ApplyAsync(input.BidId, input.Version, input.CommandKey, input.Moves, CancellationToken.None);
    }
}

/// <summary>Records the answer to a command that changed nothing, so that its caller and any retry of it get it.</summary>
public sealed class RecordAnswer(BidRepository repository, AnswerSignals signals) : TaskActivity<AnswerRecord, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, AnswerRecord input) => ExecuteAsync(input);

    /// <summary>The work itself, which the Functions app's activity trigger calls too.</summary>
    public async Task<bool> ExecuteAsync(AnswerRecord input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var recorded = await repository.TryRecordAnswerAsync(input.BidId, input.CommandKey, input.Fingerprint, input.Result, CancellationToken.None);
        signals.Answered(input.BidId, input.CommandKey);
        return recorded;
    }
}

/// <summary>
/// Records an accepted step and refreshes the bid list, then carries out its effects in order, once each, until one
/// fails: a step whose effects all succeed first time costs one activity, not one per effect. The orchestration
/// tries again, with pauses, what is left.
/// </summary>
public sealed class CommitStep(BidRepository repository, BidIndexProjection projection, AnswerSignals signals, EffectDispatcher dispatcher)
    : TaskActivity<StepRecord, StepCommitted>
{
    public override Task<StepCommitted> RunAsync(TaskActivityContext context, StepRecord input) => ExecuteAsync(input);

    /// <summary>The work itself, which the Functions app's activity trigger calls too.</summary>
    public async Task<StepCommitted> ExecuteAsync(StepRecord input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var effects = await repository.RecordStepAsync(input, CancellationToken.None);
        await projection.ProjectAsync(input.After, CancellationToken.None);
        signals.Answered(input.After.BidId, input.CommandKey);
        var done = new List<EffectDone>();
        foreach (var effectId in effects)
        {
            try
            {
                done.Add(new EffectDone(effectId, await dispatcher.DispatchAsync(new EffectRef(input.After.BidId, effectId), CancellationToken.None)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return new StepCommitted(done, [.. effects.Skip(done.Count)], e.Message);
            }
        }

        return new StepCommitted(done, []);
    }
}

/// <summary>Carries out one recorded effect, answering the command it asks a bid to take next, if any; throws to be tried again.</summary>
public sealed class CarryOutEffect(EffectDispatcher dispatcher) : TaskActivity<EffectRef, FollowUp?>
{
    public override Task<FollowUp?> RunAsync(TaskActivityContext context, EffectRef input) => ExecuteAsync(input);

    /// <summary>The work itself, which the Functions app's activity trigger calls too.</summary>
    public async Task<FollowUp?> ExecuteAsync(EffectRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await dispatcher.DispatchAsync(input, CancellationToken.None);
    }
}

/// <summary>Records that an effect failed every time it was tried, for the coordinator to see.</summary>
public sealed class GiveUpEffect(BidRepository repository, TimeProvider clock) : TaskActivity<EffectFailure, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, EffectFailure input) => ExecuteAsync(input);

    /// <summary>The work itself, which the Functions app's activity trigger calls too.</summary>
    public async Task<bool> ExecuteAsync(EffectFailure input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await repository.GiveUpEffectAsync(input.BidId, input.EffectId, input.Error, clock.GetUtcNow(), CancellationToken.None);
        return true;
    }
}

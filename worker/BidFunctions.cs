using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Partnership.Functions.Engine;
using Partnership.Functions.Notifications;
using Partnership.Functions.Workflow;
using Partnership.Workflows;

namespace Partnership.Worker;

/// <summary>
/// One thin function per orchestration, activity and timer, each calling the class the app runs locally, so that a
/// bid behaves the same in Azure as on a laptop.
/// </summary>
public sealed class BidFunctions(
    WorkingCalendar calendar,
    IOptions<EngineOptions> engine,
    MoveMoney moveMoney,
    RecordAnswer recordAnswer,
    CommitStep commitStep,
    CarryOutEffect carryOutEffect,
    GiveUpEffect giveUpEffect,
    DigestSender digest,
    Partnership.Functions.Outcomes.MeasureReminderSender measureReminders)
{
    [Function(nameof(BidOrchestration))]
    public Task<object?> RunBidAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new BidOrchestration(calendar, engine).RunAsync(context, context.GetInput<BidRun>()!);
    }

    [Function(nameof(MoveMoney))]
    public Task<string?> MoveMoneyAsync([ActivityTrigger] MoneyMove input) => moveMoney.ExecuteAsync(input);

    [Function(nameof(RecordAnswer))]
    public Task<bool> RecordAnswerAsync([ActivityTrigger] AnswerRecord input) => recordAnswer.ExecuteAsync(input);

    [Function(nameof(CommitStep))]
    public Task<StepCommitted> CommitStepAsync([ActivityTrigger] StepRecord input) => commitStep.ExecuteAsync(input);

    [Function(nameof(CarryOutEffect))]
    public Task<FollowUp?> CarryOutEffectAsync([ActivityTrigger] EffectRef input) => carryOutEffect.ExecuteAsync(input);

    [Function(nameof(GiveUpEffect))]
    public Task<bool> GiveUpEffectAsync([ActivityTrigger] EffectFailure input) => giveUpEffect.ExecuteAsync(input);

    /// <summary>Every minute, as the web app's own schedule does locally: the digest goes at the fund's hour, once.</summary>
    [Function("DailyDigest")]
    public Task<int> SendDigestAsync([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        digest.SendDueAsync(cancellationToken);

    /// <summary>Every minute, as the web app's own schedule does locally: each rung of an outcome figure's reminder ladder goes once.</summary>
    [Function("OutcomeReminders")]
    public Task<int> SendMeasureRemindersAsync([TimerTrigger("30 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        measureReminders.SendDueAsync(cancellationToken);
}

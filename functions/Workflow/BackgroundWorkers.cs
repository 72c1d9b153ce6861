namespace Partnership.Functions.Workflow;

/// <summary>
/// Stand-ins for the Functions host's timer and queue triggers when the app runs on its own. They call the same
/// code the host's invocations do.
/// </summary>
public sealed partial class BackgroundWorkers(IServiceProvider services, TimeProvider clock, ILogger<BackgroundWorkers> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        RepeatAsync("timer sweep", TimeSpan.FromSeconds(30), async (s, ct) => await s.GetRequiredService<TimerSweep>().SweepAsync(ct), stoppingToken),
        RepeatAsync("daily digest", TimeSpan.FromMinutes(1), async (s, ct) => await s.GetRequiredService<Notifications.DigestSender>().SendDueAsync(ct), stoppingToken),
        RepeatAsync("outbox recovery", TimeSpan.FromMinutes(1), async (s, ct) =>
        {
            await s.GetRequiredService<OutboxRecovery>().RecoverAsync(ct);
            await s.GetRequiredService<Budgets.BudgetLedger>().ReconcileAsync(s.GetRequiredService<BidCommandService>().CommittedAtAsync, ct);
        }, stoppingToken),
        RepeatAsync("effects queue", TimeSpan.FromSeconds(2), async (s, ct) =>
        {
            while (await s.GetRequiredService<EffectQueueProcessor>().ProcessBatchAsync(ct) > 0)
            {
            }
        }, stoppingToken));

    private async Task RepeatAsync(string name, TimeSpan period, Func<IServiceProvider, CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, clock);
        do
        {
            try
            {
                await work(services, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e, name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Worker} failed; it runs again on its next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception, string worker);
}

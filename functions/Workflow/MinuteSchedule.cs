namespace Partnership.Functions.Workflow;

/// <summary>
/// The work that looks each minute for what has fallen due: the daily digests and the outcome measures' reminders.
/// It runs here when the app runs on its own; in Azure the Functions app's timer triggers call the same code.
/// </summary>
public sealed partial class MinuteSchedule(IServiceProvider services, TimeProvider clock, ILogger<MinuteSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        do
        {
            await RunAsync("daily digest", () => services.GetRequiredService<Notifications.DigestSender>().SendDueAsync(stoppingToken));
            await RunAsync("outcome measure reminders", () => services.GetRequiredService<Outcomes.MeasureReminderSender>().SendDueAsync(stoppingToken));
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One job's failure is logged and left to the next minute, and never stops the other.</summary>
    private async Task RunAsync(string job, Func<Task<int>> run)
    {
        try
        {
            await run();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, job);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Job} failed; it runs again on the next minute")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job);
}

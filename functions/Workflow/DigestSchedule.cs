namespace Partnership.Functions.Workflow;

/// <summary>
/// Sends the daily digests when the app runs on its own; in Azure the Functions app's timer trigger calls the
/// same code.
/// </summary>
public sealed partial class DigestSchedule(IServiceProvider services, TimeProvider clock, ILogger<DigestSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        do
        {
            try
            {
                await services.GetRequiredService<Notifications.DigestSender>().SendDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The daily digest failed; it runs again on the next minute")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

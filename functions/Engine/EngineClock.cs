namespace Partnership.Functions.Engine;

/// <summary>
/// How far the app's clock stands from the machine clock that durable timers run on: nothing in Azure or a local
/// run, where both are the system clock; the distance a test has moved its fake clock otherwise. Commands carry it
/// to their bid, so a deadline fires when the app's clock reaches it.
/// </summary>
public sealed class EngineClock(TimeProvider app)
{
    public TimeSpan Offset => app.GetUtcNow() - TimeProvider.System.GetUtcNow();
}

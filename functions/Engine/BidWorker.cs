using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;
using Partnership.Functions.Infrastructure;

namespace Partnership.Functions.Engine;

/// <summary>
/// Runs the bids' orchestrations and activities in this process: Durable Task's own dispatcher (DurableTask.Core's
/// <see cref="TaskHubWorker"/>) over the Azure Storage provider, running the Microsoft.DurableTask classes through
/// the SDK's shims, as the Functions host's Durable extension does. Any number of processes may run one on the same
/// task hub; the provider's partition leases share the bids out between them.
/// </summary>
public sealed partial class BidWorker(
    AzureStorageOrchestrationService service,
    IOptions<DurableTaskRegistry> registry,
    IServiceProvider services,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private TaskHubWorker? _worker;
    private Task _starting = Task.CompletedTask;
    private Task _stopping = Task.CompletedTask;

    /// <summary>
    /// Starts in the background, so that the app serves pages (and says it is unhealthy) while storage does not
    /// answer, and stops promptly if it never does.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await service.CreateIfNotExistsAsync().WaitAsync(stoppingToken);
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = EngineSetup.Converter }, loggerFactory);
        _worker = new TaskHubWorker(service, loggerFactory);
        _worker.AddTaskOrchestrations([.. registry.Value.GetOrchestrators().Select(o =>
            new Creator<TaskOrchestration>(o.Key.Name, () => shims.CreateOrchestration(o.Key, o.Value(services))))]);
        _worker.AddTaskActivities([.. registry.Value.GetActivities().Select(a =>
            new Creator<TaskActivity>(a.Key.Name, () => shims.CreateActivity(a.Key, a.Value(services))))]);
        _starting = _worker.StartAsync();
        await _starting.WaitAsync(stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_worker is not null)
        {
            // Bounded by the host's shutdown timeout: with storage gone the provider would retry its leases for ever.
            _stopping = StopWorkerAsync(_worker);
            try
            {
                await _stopping.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                LogStopAbandoned(loggerFactory.CreateLogger<BidWorker>());
            }
        }
    }

    /// <summary>
    /// A start the host stopped waiting for still holds the worker's lock and goes on; the stop waits for it to end,
    /// however it ends, rather than racing it.
    /// </summary>
    private async Task StopWorkerAsync(TaskHubWorker worker)
    {
        await Task.WhenAny(_starting);
        await worker.StopAsync(isForced: false);
    }

    /// <summary>Disposing a worker while it stops would pull its lock from under it; one still stopping is left to the process's end.</summary>
    public override void Dispose()
    {
        if (_stopping.IsCompleted)
        {
            _worker?.Dispose();
        }

        base.Dispose();
    }

    internal static AzureStorageOrchestrationServiceSettings Settings(StorageAccount account, StorageOptions storage, EngineOptions engine, ILoggerFactory loggerFactory) => new()
    {
        TaskHubName = engine.TaskHub ?? $"{storage.Prefix}taskhub",
        StorageAccountClientProvider = account.ForEngine(),
        PartitionCount = engine.PartitionCount,
        MaxQueuePollingInterval = engine.MaxQueuePollingInterval,
        UseTablePartitionManagement = true,
        UseAppLease = false,

        // The provider sends a new bid's start before it records the instance, and a worker that takes the start in
        // between puts it back for two seconds: on Azurite, one bid start in ten under load. The check guards against
        // a client that sent a start twice; this app sends a bid's start once (BidCommandService holds a bid's
        // starts one at a time, and the instance it records makes a later copy an event).
        DisableExecutionStartedDeduplication = true,

        // Each process is a worker of its own, so that two on one machine share the bids rather than both taking all.
        WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}",
        LeaseInterval = engine.LeaseInterval,
        LeaseRenewInterval = engine.LeaseInterval / 3,
        LeaseAcquireInterval = engine.LeaseInterval / 3,
        ControlQueueVisibilityTimeout = engine.MessageVisibilityTimeout,

        // A bid's orchestration stays in memory between its messages for a while, so its next step need not
        // read its history back from the table.
        ExtendedSessionsEnabled = true,
        ExtendedSessionIdleTimeout = TimeSpan.FromSeconds(30),
        WorkItemQueueVisibilityTimeout = engine.MessageVisibilityTimeout,
        LoggerFactory = loggerFactory,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bids' worker did not stop within the shutdown timeout; its leases lapse and another worker takes its bids")]
    private static partial void LogStopAbandoned(ILogger logger);

    private sealed class Creator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public Creator(string name, Func<T> create)
        {
            Name = name;
            Version = string.Empty;
            _create = create;
        }

        public override T Create() => _create();
    }
}

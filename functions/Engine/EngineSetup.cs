using DurableTask.AzureStorage;
using Grpc.Net.Client;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Options;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Workflow;
using Partnership.Workflows;

namespace Partnership.Functions.Engine;

public static class EngineSetup
{
    /// <summary>
    /// The bids' orchestrations and activities, and the one list of them: this process's worker registers them
    /// here, and the Functions app wraps the same classes.
    /// </summary>
    public static void AddBidTasks(DurableTaskRegistry tasks, WorkingCalendar calendar, IOptions<EngineOptions> engine)
    {
        ArgumentNullException.ThrowIfNull(tasks);

        // Orchestrators are made without DI; this one holds nothing between runs, so one instance serves them all.
        tasks.AddOrchestrator(nameof(BidOrchestration), new BidOrchestration(calendar, engine));
        AddBidActivities(tasks);
    }

    /// <summary>The activities alone, for a worker that runs another release of the orchestration (a test of code changes).</summary>
    public static void AddBidActivities(DurableTaskRegistry tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        tasks.AddActivity<MoveMoney>();
        tasks.AddActivity<RecordAnswer>();
        tasks.AddActivity<CommitStep>();
        tasks.AddActivity<CarryOutEffect>();
        tasks.AddActivity<GiveUpEffect>();
    }

    /// <summary>How orchestration inputs, events and activity results are written: as the app writes workflow values.</summary>
    public static DataConverter Converter { get; } = new JsonDataConverter(WorkflowJson.Options);

    /// <summary>
    /// Runs the Durable Task engine in this process: the Azure Storage provider on the app's storage account, the
    /// sidecar and client that send bids their commands, and (unless switched off) the worker that runs them.
    /// </summary>
    public static IServiceCollection AddDurableEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<EngineClock>();
        services.AddSingleton(s => new AzureStorageOrchestrationService(BidWorker.Settings(
            s.GetRequiredService<StorageAccount>(), s.GetRequiredService<IOptions<StorageOptions>>().Value, s.GetRequiredService<IOptions<EngineOptions>>().Value, s.GetRequiredService<ILoggerFactory>())));
        services.AddSingleton<DurableTaskSidecar>();
        services.AddHostedService(s => s.GetRequiredService<DurableTaskSidecar>());
        services.AddSingleton(s =>
        {
            var sidecar = s.GetRequiredService<DurableTaskSidecar>();
            return GrpcChannel.ForAddress("http://127.0.0.1", new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    ConnectCallback = (_, cancellationToken) => sidecar.ConnectAsync(cancellationToken),
                    EnableMultipleHttp2Connections = true,
                },
                MaxReceiveMessageSize = 16 * 1024 * 1024,
            });
        });
        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc();
            client.Configure(o => o.DataConverter = Converter);
        });
        services.AddOptions<Microsoft.DurableTask.Client.Grpc.GrpcDurableTaskClientOptions>(Options.DefaultName)
            .Configure<GrpcChannel>((o, channel) => o.Channel = channel);

        if (configuration.GetSection(EngineOptions.Section).GetValue(nameof(EngineOptions.RunWorker), true))
        {
            services.AddOptions<DurableTaskRegistry>().Configure<WorkingCalendar, IOptions<EngineOptions>>(AddBidTasks);
            services.AddHostedService<BidWorker>();
        }

        return services;
    }
}

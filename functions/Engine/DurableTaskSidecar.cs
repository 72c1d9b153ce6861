using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace Partnership.Functions.Engine;

/// <summary>
/// Durable Task's gRPC task-hub service over the Azure Storage provider, served on a loopback port of its own: the
/// app's <c>DurableTaskClient</c> talks to it as it would to the Functions host's Durable extension. It serves the
/// client API only; <see cref="BidWorker"/> runs the orchestrations. It runs apart from the app's own server so
/// that it works the same under the test server.
/// </summary>
public sealed partial class DurableTaskSidecar(
    AzureStorageOrchestrationService service,
    ILoggerFactory loggerFactory,
    ILogger<DurableTaskSidecar> logger) : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource<IPEndPoint> _endpoint = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _host;

    /// <summary>Opens a connection to the sidecar, waiting until it listens; the gRPC channels connect through this.</summary>
    public async ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        var endpoint = await _endpoint.Task.WaitAsync(cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));

        // Its own server's request logs would report every gRPC call between worker and sidecar.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 16 * 1024 * 1024);
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        builder.Services.Configure<TaskHubGrpcServerOptions>(o => o.Mode = TaskHubGrpcServerMode.ApiServerOnly);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        _host = builder.Build();
        _host.MapGrpcService<TaskHubGrpcServer>();
        await _host.StartAsync(cancellationToken);

        var address = new Uri(_host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        _endpoint.SetResult(new IPEndPoint(IPAddress.Loopback, address.Port));
        LogListening(logger, address.Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_host is not null)
        {
            await _host.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>Writes the sidecar's logs to the app's own loggers, under their own categories.</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The Durable Task sidecar serves the client API on loopback port {Port}")]
    private static partial void LogListening(ILogger logger, int port);
}

using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Partnership.Functions.Tests.Support;

public sealed record StubRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, JsonElement Body);

/// <summary>
/// A real HTTP server on a loopback port the OS picks, standing in for a provider's API: it records every request
/// and answers with the statuses it is told to, in order, then 202.
/// </summary>
public sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _statuses = new();

    private StubServer(WebApplication app) => _app = app;

    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    public string Address => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<StubServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var stub = new StubServer(builder.Build());
        stub._app.Run(async context =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            stub.Requests.Enqueue(new StubRequest(context.Request.Method, context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.RootElement.Clone()));
            context.Response.StatusCode = stub._statuses.TryDequeue(out var status) ? status : 202;
            if (context.Response.StatusCode == 202)
            {
                context.Response.Headers["X-Message-Id"] = $"msg-{stub.Requests.Count}";
            }
            else
            {
                await context.Response.WriteAsync("""{"errors":[{"message":"refused by the stub"}]}""");
            }
        });
        await stub._app.StartAsync();
        return stub;
    }

    public void AnswerNext(params int[] statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (var status in statuses)
        {
            _statuses.Enqueue(status);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

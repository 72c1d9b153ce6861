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
/// and answers with the statuses it is told to (with a Retry-After where given), in order, then its success status.
/// Refusals carry both SendGrid's and Graph's error shapes.
/// </summary>
public sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _answers = new();
    private readonly int _success;

    private StubServer(WebApplication app, int success) => (_app, _success) = (app, success);

    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    public string Address => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<StubServer> StartAsync(int success = 202)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var stub = new StubServer(builder.Build(), success);
        stub._app.Run(async context =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            stub.Requests.Enqueue(new StubRequest(context.Request.Method, context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.RootElement.Clone()));
            var (status, retryAfter) = stub._answers.TryDequeue(out var answer) ? answer : (stub._success, null);
            context.Response.StatusCode = status;
            if (retryAfter is not null)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            if (status is >= 200 and < 300)
            {
                context.Response.Headers["X-Message-Id"] = $"msg-{stub.Requests.Count}";
            }
            else
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"errors":[{"message":"refused by the stub"}],"error":{"code":"Refused","message":"refused by the stub"}}""");
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
            _answers.Enqueue((status, null));
        }
    }

    /// <summary>Answers the next requests 429 Too Many Requests, each asking to wait the given seconds.</summary>
    public void Throttle(int times, int retryAfterSeconds)
    {
        for (var i = 0; i < times; i++)
        {
            _answers.Enqueue((429, retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Partnership.Functions.Infrastructure;

/// <summary>
/// Counts the calls this process makes to its storage account, by who makes them (the app's own records or the
/// Durable Task engine) and by service, so that the benchmark can say what a command costs rather than reckon it.
/// </summary>
public sealed class StorageCalls
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>A policy for one client's pipeline that counts each request it sends, retries included.</summary>
    public HttpPipelinePolicy For(string caller, string service) => new Counting(this, $"{caller}.{service}");

    public IReadOnlyDictionary<string, long> Totals() => _counts.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

    private sealed class Counting(StorageCalls calls, string name) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => calls._counts.AddOrUpdate(name, 1, (_, n) => n + 1);
    }
}

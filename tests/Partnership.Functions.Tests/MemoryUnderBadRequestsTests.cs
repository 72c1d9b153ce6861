using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Partnership.Functions.Tests.Support;

namespace Partnership.Functions.Tests;

/// <summary>
/// The built app in its own process, on Kestrel as it runs in production, sent a few hundred oversized and bad
/// requests eight at a time: it answers each with a 4xx, and its peak resident memory (the kernel's high-water mark)
/// stays within a few times the document limit. The figure is printed for the README.
/// </summary>
public class MemoryUnderBadRequestsTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const long PeakLimitBytes = 1024L * 1024 * 1024;

    [Fact]
    public async Task Hundreds_of_oversized_bad_requests_keep_the_process_under_a_gigabyte()
    {
        await using var seeded = new AppFactory(azurite);
        await seeded.SeedAsync();
        await using var app = BuiltApp.Start(azurite, seeded.Prefix, new Dictionary<string, string>
        {
            ["Workers__Enabled"] = "false",
            ["Email__InboundSecret"] = "memory-secret",
        });
        Assert.Equal(HttpStatusCode.OK, (await app.HealthAsync())?.StatusCode);
        var client = app.Client;
        var bidId = new string('0', 32);
        var jsonPaths = new[]
        {
            "/api/bids", $"/api/bids/{bidId}/proposal", $"/api/bids/{bidId}/hce-recommendation", $"/api/bids/{bidId}/board-decision",
            $"/api/bids/{bidId}/returns/2026q3", $"/api/bids/{bidId}/payments", $"/api/bids/{bidId}/variations", $"/api/funds/{AppFactory.Fund}/budget-lines",
            "/webhooks/sendgrid/events",
        };
        var requests = new List<Func<HttpRequestMessage>>();
        for (var round = 0; round < 12; round++)
        {
            foreach (var path in jsonPaths)
            {
                requests.Add(() => Request(path, "coordinator", new ZeroContent(30 * 1024 * 1024, knownLength: true, "application/json")));
                requests.Add(() => Request(path, "coordinator", new ZeroContent(30 * 1024 * 1024, knownLength: false, "application/json")));
            }

            requests.Add(() => Request($"/api/bids/{bidId}/documents", "applicant-kca", Upload(24 * 1024 * 1024)));
            requests.Add(() => Request($"/api/bids/{bidId}/documents", "applicant-kca", Upload(30 * 1024 * 1024)));
            requests.Add(() => Request("/webhooks/sendgrid/inbound/memory-secret", null, Inbound()));
            requests.Add(() => Request("/api/bids", "applicant-kca", new StringContent("{\"fundId\": [", System.Text.Encoding.UTF8, "application/json")));
        }

        var statuses = new System.Collections.Concurrent.ConcurrentBag<int>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (make, ct) =>
        {
            using var request = make();
            try
            {
                using var response = await client.SendAsync(request, ct);
                statuses.Add((int)response.StatusCode);
            }
            catch (HttpRequestException)
            {
                // The server may close the connection once a streamed body passes the limit; it refused it.
                statuses.Add(413);
            }
        });

        var peak = PeakResidentBytes(app.ProcessId);
        output.WriteLine($"{requests.Count} bad requests: peak resident memory {peak / (1024 * 1024)} MiB");
        Assert.Equal(requests.Count, statuses.Count);
        Assert.DoesNotContain(statuses, s => s >= 500 || s < 400);
        Assert.True(peak < PeakLimitBytes, $"Peak resident memory was {peak / (1024 * 1024)} MiB.");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    private static HttpRequestMessage Request(string path, string? user, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (user is not null)
        {
            request.Headers.Add("X-Dev-User", user);
        }

        return request;
    }

    private static MultipartFormDataContent Upload(int size)
    {
        var form = new MultipartFormDataContent();
        var file = new ZeroContent(size, knownLength: true, "application/octet-stream", "%PDF-1.4\n"u8.ToArray());
        form.Add(file, "file", "big.pdf");
        form.Add(new StringContent("Budget"), "kind");
        return form;
    }

    private static MultipartFormDataContent Inbound()
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("{\"from\":\"hce@example.org\",\"to\":[]}"), "envelope" },
            { new StringContent(new string('a', 5 * 1024 * 1024)), "text" },
        };
        form.Add(new ZeroContent(20 * 1024 * 1024, knownLength: true, "application/octet-stream"), "attachment1", "scan.pdf");
        return form;
    }

    /// <summary>The kernel's record of the most memory the process has held resident (VmHWM), in bytes.</summary>
    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>A body of the given size written as it is sent, so the test itself holds none of it; with or without a length.</summary>
    private sealed class ZeroContent : HttpContent
    {
        private readonly long _size;
        private readonly bool _knownLength;
        private readonly byte[] _head;

        public ZeroContent(long size, bool knownLength, string contentType, byte[]? head = null)
        {
            _size = size;
            _knownLength = knownLength;
            _head = head ?? [];
            Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_head);
            var chunk = new byte[64 * 1024];
            for (var sent = (long)_head.Length; sent < _size; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, _size - sent)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _size;
            return _knownLength;
        }
    }
}

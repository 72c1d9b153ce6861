using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Partnership.Bench;

/// <summary>
/// Drives the app (started by scripts/bench with the demo data) as applicants and coordinators would, and prints
/// the command latency at one and eight concurrent callers and the sustained rate with every effect carried out.
/// </summary>
public static class Program
{
    private const string Fund = "partnership-fund";
    private const string Applicant = "applicant-kca";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static int _retries;

    public static async Task<int> Main(string[] args)
    {
        var baseUrl = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:7071");
        var output = args.Length > 1 ? args[1] : "out/bench.json";
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40;
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(2) };

        var figures = new List<Figure>();
        foreach (var concurrency in new[] { 1, 8 })
        {
            var bids = new string[rounds];
            var starts = await TimeAsync(rounds, concurrency, async i =>
            {
                using var answer = await SendAsync(http, HttpMethod.Post, "/api/bids", Applicant, Proposal($"Bench bid {concurrency}-{i}"));
                bids[i] = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bidId").GetString()!;
            });
            figures.Add(Latency($"start a bid, c={concurrency}", starts));
            var edits = await TimeAsync(rounds, concurrency, async i =>
            {
                using var answer = await SendAsync(http, HttpMethod.Put, $"/api/bids/{bids[i]}/proposal", Applicant, Proposal($"Bench bid {concurrency}-{i}, edited")["proposal"]);
            });
            figures.Add(Latency($"edit a draft, c={concurrency}", edits));
        }

        // Sustained: start, attach the business case and submit, with eight callers; the run ends when every effect is done.
        var callsBefore = await StorageCallsAsync(http);
        var sustained = Stopwatch.StartNew();
        var submitted = new string[rounds];
        await TimeAsync(rounds, 8, async i =>
        {
            using var started = await SendAsync(http, HttpMethod.Post, "/api/bids", Applicant, Proposal($"Sustained bid {i}"));
            var bidId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bidId").GetString()!;
            using var upload = new MultipartFormDataContent
            {
                { new ByteArrayContent("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "file", "business-case.pdf" },
                { new StringContent("BusinessCase"), "kind" },
            };
            using (await SendAsync(http, HttpMethod.Post, $"/api/bids/{bidId}/documents", Applicant, upload))
            {
            }

            using (await SendAsync(http, HttpMethod.Post, $"/api/bids/{bidId}/submit", Applicant, new { }))
            {
            }

            submitted[i] = bidId;
        });
        foreach (var bidId in submitted)
        {
            while (!await EffectsDoneAsync(http, bidId))
            {
                await Task.Delay(100);
            }
        }

        sustained.Stop();
        var callsAfter = await StorageCallsAsync(http);
        var sustainedRate = rounds * 3 / sustained.Elapsed.TotalSeconds;
        figures.Add(new Figure("sustained incl. effects, c=8 (commands/s)", sustainedRate, null, null, ">= 25"));

        // What a command cost the storage account in the sustained run, including the benchmark's own look at each bid's effects.
        foreach (var (name, total) in callsAfter.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            figures.Add(new Figure($"storage calls per command: {name}", (total - callsBefore.GetValueOrDefault(name)) / (rounds * 3.0), null, null, ""));
        }

        figures.Add(new Figure("storage calls per command: all", (callsAfter.Values.Sum() - callsBefore.Values.Sum()) / (rounds * 3.0), null, null, ""));

        figures.Add(new Figure("commands answered 503 and sent again", _retries, null, null, "0"));
        if (double.TryParse(Environment.GetEnvironmentVariable("BENCH_COLD_START_MS"), CultureInfo.InvariantCulture, out var coldStart))
        {
            figures.Add(new Figure("cold start: process start to /health (ms)", coldStart, null, null, "< 2000"));
        }

        // Last, so that its rows and table do not weigh on the app's figures: the same Azurite with nothing of the app in the way.
        if (Environment.GetEnvironmentVariable("Storage__ConnectionString") is { Length: > 0 } storage)
        {
            foreach (var concurrency in new[] { 1, 8 })
            {
                var rate = await RawStorageRateAsync(storage, rounds * 5, concurrency);
                figures.Add(new Figure($"raw storage, c={concurrency} (3-row batch + point read/s)", rate, null, null, ""));
                var commands = figures.Single(f => f.Name == $"edit a draft, c={concurrency} (commands/s)").Value;
                figures.Add(new Figure($"edit a draft / raw storage, c={concurrency}", commands / rate, null, null, ""));
            }
        }
        Console.WriteLine($"{"measure",-44} {"value",10} {"p50 ms",8} {"p95 ms",8}  target");
        foreach (var f in figures)
        {
            Console.WriteLine($"{f.Name,-44} {f.Value,10:0.0##} {f.P50Ms,8:F0} {f.P95Ms,8:F0}  {f.Target}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new { machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}", rounds, figures }, Indented));
        return 0;
    }

    private sealed record Figure(string Name, double Value, double? P50Ms, double? P95Ms, string Target);

    private static Figure Latency(string name, (IReadOnlyList<TimeSpan> Samples, TimeSpan Elapsed) run)
    {
        var sorted = run.Samples.Select(s => s.TotalMilliseconds).Order().ToList();
        return new Figure($"{name} (commands/s)", run.Samples.Count / run.Elapsed.TotalSeconds, sorted[sorted.Count / 2], sorted[(int)(sorted.Count * 0.95)], "p50 < 300 ms, p95 < 1 s");
    }

    /// <summary>Runs <paramref name="count"/> operations with <paramref name="concurrency"/> callers: how long each took, and all of them.</summary>
    private static async Task<(IReadOnlyList<TimeSpan> Samples, TimeSpan Elapsed)> TimeAsync(int count, int concurrency, Func<int, Task> operation)
    {
        var all = Stopwatch.StartNew();
        var samples = new TimeSpan[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var watch = Stopwatch.StartNew();
                await operation(i);
                samples[i] = watch.Elapsed;
            }
        }));
        return (samples, all.Elapsed);
    }

    /// <summary>Sends one command as a careful client would: a 503 is tried again with the same key after its Retry-After.</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string user, object body)
    {
        var key = Guid.NewGuid().ToString();
        for (var attempt = 1; ; attempt++)
        {
            var request = new HttpRequestMessage(method, path) { Content = body as HttpContent ?? JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            request.Headers.Add("X-Dev-User", user);
            var answer = await http.SendAsync(request);
            if (answer.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && attempt < 5)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(answer.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                answer.Dispose();
                continue;
            }

            if (!answer.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{method} {path} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
            }

            return answer;
        }
    }

    /// <summary>
    /// What the same Azurite does with nothing of the app in the way: one entity-group batch of three rows and one
    /// point read per operation, as a command's own record and its check cost at the least, on a table of its own.
    /// </summary>
    private static async Task<double> RawStorageRateAsync(string connectionString, int operations, int concurrency)
    {
        var table = new Azure.Data.Tables.TableClient(connectionString, $"benchraw{Guid.NewGuid():N}"[..24]);
        await table.CreateIfNotExistsAsync();
        try
        {
            var (_, elapsed) = await TimeAsync(operations, concurrency, async i =>
            {
                var partition = $"p{i}";
                await table.SubmitTransactionAsync(Enumerable.Range(0, 3).Select(r => new Azure.Data.Tables.TableTransactionAction(
                    Azure.Data.Tables.TableTransactionActionType.UpsertReplace,
                    new Azure.Data.Tables.TableEntity(partition, $"r{r}") { ["Payload"] = new string('x', 512) })));
                await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(partition, "r0");
            });
            return operations / elapsed.TotalSeconds;
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    private static async Task<Dictionary<string, long>> StorageCallsAsync(HttpClient http) =>
        await http.GetFromJsonAsync<Dictionary<string, long>>("/dev/storage-calls") ?? [];

    private static async Task<bool> EffectsDoneAsync(HttpClient http, string bidId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/bids/{bidId}");
        request.Headers.Add("X-Dev-User", "coordinator");
        using var answer = await http.SendAsync(request);
        var detail = await answer.Content.ReadFromJsonAsync<JsonElement>();
        return detail.GetProperty("effects").EnumerateArray().All(e => e.GetProperty("doneAt").ValueKind != JsonValueKind.Null || e.GetProperty("failedAt").ValueKind != JsonValueKind.Null);
    }

    private static Dictionary<string, object> Proposal(string title) => new()
    {
        ["fundId"] = Fund,
        ["proposal"] = new
        {
            title,
            summary = "A benchmark bid.",
            grantStart = "2027-04-01",
            grantEnd = "2028-03-31",
            businessCase = new
            {
                strategicLead = new { name = "A. Lead", role = "Director", email = "lead@example.org" },
                projectCoordinator = new { name = "A. Coordinator", role = "Manager", email = "coordinator@example.org" },
                need = "A benchmark need.",
                activities = "Benchmark activities.",
                priorities = new[] { "Health" },
                costs = new[] { new { item = "Delivery", description = "", type = "Revenue", financialYear = "2027/28", amount = 10_000m } },
                outcomes = new[] { new { description = "Outcome", measure = "Measure", baseline = "0", target = "10", by = "2028-03-31" } },
                milestones = new[] { new { timescale = "March 2028", achievement = "Done" } },
                risks = new[] { new { description = "Risk", likelihood = "Low", impact = "Low", mitigation = "Mitigation" } },
            },
        },
    };
}

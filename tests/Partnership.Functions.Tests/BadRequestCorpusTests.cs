using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

/// <summary>
/// Sends every request in BadRequests/bad-requests.json to the endpoint it targets as the role it needs, and checks
/// each is answered with a 4xx naming what is wrong, and that no row, blob or queue message changed.
/// </summary>
public class BadRequestCorpusTests(AzuriteFixture azurite)
{
    private static readonly byte[] HugeJson = Encoding.UTF8.GetBytes("{\"title\":\"" + new string('a', 31_457_280) + "\"}");

    [Fact]
    public async Task Every_bad_request_in_the_corpus_is_refused_with_a_field_named_and_changes_nothing()
    {
        var webhookKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var app = new AppFactory(azurite, settings: new Dictionary<string, string>
        {
            ["Email:InboundSecret"] = "corpus-secret",
            ["EmailWebhook:PublicKey"] = Convert.ToBase64String(webhookKey.ExportSubjectPublicKeyInfo()),
        });
        await app.SeedAsync();
        var places = await PlacesAsync(app);
        var cases = Corpus.Load().ToList();
        Assert.True(cases.Count >= 200, $"The corpus holds {cases.Count} cases.");

        var failures = new List<string>();
        foreach (var badRequest in cases)
        {
            var before = await StorageSnapshot.TakeAsync(azurite.ConnectionString, app.Prefix);
            using var request = badRequest.ToRequest(places, app.Clock.GetUtcNow());
            using var response = await app.ClientFor(badRequest.As).SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (badRequest.Status is { } expected ? status != expected : status is < 400 or >= 500)
            {
                failures.Add($"{badRequest.Name}: answered {status}, expected {badRequest.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "a 4xx"}: {Shorten(body)}");
            }
            else if (badRequest.Field is { } field && !Names(body, field))
            {
                failures.Add($"{badRequest.Name}: answered {status} without naming '{field}': {Shorten(body)}");
            }
            else if (badRequest.Field is null && badRequest.Answer is null && status == 400 && !Names(body, null))
            {
                failures.Add($"{badRequest.Name}: answered 400 without naming any field: {Shorten(body)}");
            }

            var changes = (await StorageSnapshot.TakeAsync(azurite.ConnectionString, app.Prefix)).ChangesSince(before);
            if (changes.Count > 0)
            {
                failures.Add($"{badRequest.Name}: changed storage: {string.Join(", ", changes.Take(5))}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n{string.Join("\n", failures)}");

        var views = new[] { "/api/bids", "/api/funds", $"/api/funds/{AppFactory.Fund}/budget-lines", "/api/reports/budget-summary", "/api/reports/spend-monitoring", "/api/reports/contract-status", "/api/reports/returns", "/api/reports/budget-summary.csv" };
        foreach (var view in views)
        {
            await app.ClientFor("coordinator").GetAsync(view).Ok();
        }
    }

    /// <summary>Bids at each stage the corpus needs, and a document on the draft.</summary>
    private static async Task<Dictionary<string, string>> PlacesAsync(AppFactory app)
    {
        var applicant = app.ClientFor("applicant-kca");
        var draft = await StartAsync(applicant, "Corpus draft");
        var doc = await UploadOkAsync(applicant, draft, "BusinessCase");
        var screening = await SubmittedAsync(app);
        var hce = await SubmittedAsync(app);
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{hce}/hce-referral").Ok();
        var board = await PlantedBids.AwaitingBoardAsync(app, new Funding(1_000m, 0m), "Corpus board");
        var monitoring = await PlantedBids.InMonitoringAsync(app, new Funding(2_000m, 0m), "Corpus monitoring", new DateOnly(2026, 7, 1), new DateOnly(2027, 6, 30));
        await DrainAsync(app);
        return new() { ["draft"] = draft, ["doc"] = doc, ["screening"] = screening, ["hce"] = hce, ["board"] = board, ["monitoring"] = monitoring, ["fund"] = AppFactory.Fund };
    }

    /// <summary>Whether a ProblemDetails names the field: by its full path or its last part, in any case.</summary>
    private static bool Names(string body, string? field)
    {
        try
        {
            if (JsonNode.Parse(body)?["errors"] is not JsonObject errors || errors.Count == 0)
            {
                return false;
            }

            if (field is null)
            {
                return true;
            }

            var last = field.Split('.', '[').Last().TrimEnd(']');
            return errors.Any(e => e.Key.Equals(field, StringComparison.OrdinalIgnoreCase) || e.Key.EndsWith(last, StringComparison.OrdinalIgnoreCase)
                || e.Key.Split('.', '[').Last().TrimEnd(']').Equals(last, StringComparison.OrdinalIgnoreCase));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>One bad request, as the corpus file describes it or as a mutation of an endpoint's valid body.</summary>
    private sealed record BadRequest(string Name, string? As, string Method, string Path, int? Status, string? Field, Func<HttpContent?> Content, IReadOnlyDictionary<string, string>? Headers, string? Answer = null)
    {
        public HttpRequestMessage ToRequest(IReadOnlyDictionary<string, string> places, DateTimeOffset now)
        {
            var path = places.Aggregate(Path, (p, place) => p.Replace($"{{{place.Key}}}", place.Value, StringComparison.Ordinal));
            var request = new HttpRequestMessage(new HttpMethod(Method), path) { Content = Content() };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value.Replace("{now}", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            }

            return request;
        }
    }

    private static class Corpus
    {
        public static IEnumerable<BadRequest> Load()
        {
            var file = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "BadRequests", "bad-requests.json")))!;
            var mutations = file["mutations"]!.AsObject();
            foreach (var endpoint in file["endpoints"]!.AsArray().Select(e => e!))
            {
                var name = endpoint["name"]!.GetValue<string>();
                var valid = endpoint["body"]!.ToJsonString();
                string? who = endpoint["as"]?.GetValue<string>();
                var method = endpoint["method"]!.GetValue<string>();
                var path = endpoint["path"]!.GetValue<string>();
                foreach (var (field, kind) in endpoint["fields"]!.AsObject())
                {
                    foreach (var mutation in mutations[kind!.GetValue<string>()]!.AsArray().Select(m => m!))
                    {
                        var value = mutation["repeat"] is { } repeat ? JsonSerializer.Serialize(new string('x', repeat.GetValue<int>())) : mutation["json"]!.GetValue<string>();
                        var body = Replace(valid, field, value);
                        yield return new(
                            $"{name}: {field} as {mutation["name"]}", who, method, path, null, field, () => Json(body), null);
                    }
                }

                foreach (var mutation in file["bodyMutations"]!.AsArray().Select(m => m!))
                {
                    var status = mutation["status"]?.GetValue<int>();
                    Func<HttpContent?> content = mutation["huge"] is not null ? () => new ByteArrayContent(HugeJson) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }
                        : mutation["truncate"] is not null ? () => Json(valid[..(valid.Length / 2)])
                        : () => Json(mutation["raw"]!.GetValue<string>());
                    yield return new($"{name}: {mutation["name"]}", who, method, path, status, null, content, null);
                }
            }

            foreach (var item in file["cases"]!.AsArray().Select(c => c!))
            {
                var headers = item["headers"]?.AsObject().ToDictionary(h => h.Key, h => h.Value!.GetValue<string>());
                yield return new(
                    item["name"]!.GetValue<string>(), item["as"]?.GetValue<string>(), item["method"]!.GetValue<string>(), item["path"]!.GetValue<string>(),
                    item["status"]?.GetValue<int>(), item["field"]?.GetValue<string>(), () => ContentOf(item), headers, item["answer"]?.GetValue<string>());
            }
        }

        private static HttpContent? ContentOf(JsonNode item)
        {
            if (item["upload"] is { } upload)
            {
                var form = new MultipartFormDataContent();
                var file = new ByteArrayContent(upload["content"]!.GetValue<string>() switch
                {
                    "pdf" => Pdf,
                    "polyglot" => SampleFiles.PdfPolyglot,
                    "docx-bomb" => SampleFiles.DocxBomb(),
                    "odt-bomb" => SampleFiles.OdtBomb(),
                    "huge" => [.. Pdf, .. new byte[26 * 1024 * 1024]],
                    var other => throw new InvalidOperationException($"No sample '{other}'."),
                });
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                form.Add(file, "file", upload["fileName"]!.GetValue<string>());
                form.Add(new StringContent(upload["kind"]!.GetValue<string>()), "kind");
                return form;
            }

            if (item["multipartWithoutBoundary"] is not null)
            {
                var content = new ByteArrayContent("--x\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nBudget\r\n--x--\r\n"u8.ToArray());
                content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");
                return content;
            }

            if (item["form"] is { } fields)
            {
                var form = new MultipartFormDataContent();
                foreach (var (name, value) in fields.AsObject())
                {
                    form.Add(new StringContent(value!.GetValue<string>()), name);
                }

                foreach (var (name, size) in item["formHuge"]?.AsObject() ?? [])
                {
                    form.Add(new StringContent(new string('a', size!.GetValue<int>())), name);
                }

                return form;
            }

            if (item["huge"] is { } huge)
            {
                return new ByteArrayContent(new byte[huge.GetValue<int>()]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
            }

            if (item["raw"] is { } raw)
            {
                var content = new StringContent(raw.GetValue<string>(), Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue(item["contentType"]?.GetValue<string>() ?? "application/json");
                return content;
            }

            return null;
        }

        private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

        /// <summary>The body with the value at a path such as "proposal.grantStart", "forecasts[0].quarter" or "[0].number" replaced by raw JSON.</summary>
        private static string Replace(string json, string path, string value)
        {
            var root = JsonNode.Parse(json)!;
            var steps = path.Replace("[", ".[", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries);
            var node = root;
            foreach (var step in steps[..^1])
            {
                node = step.StartsWith('[') ? node![int.Parse(step[1..^1], System.Globalization.CultureInfo.InvariantCulture)] : node![step];
            }

            const string marker = "CORPUS-VALUE-HERE";
            var last = steps[^1];
            if (last.StartsWith('['))
            {
                node!.AsArray()[int.Parse(last[1..^1], System.Globalization.CultureInfo.InvariantCulture)] = marker;
            }
            else
            {
                node![last] = marker;
            }

            return root.ToJsonString().Replace($"\"{marker}\"", value, StringComparison.Ordinal);
        }
    }
}

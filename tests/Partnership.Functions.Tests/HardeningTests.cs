using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;
using static Partnership.Functions.Tests.Support.DecisionPrompts;

namespace Partnership.Functions.Tests;

/// <summary>The security defects closed with the bad-request work, each tried the way it was found.</summary>
public class HardeningTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_refused_decision_leaves_the_link_usable_and_only_an_accepted_one_uses_it_up()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var (bidId, links) = await AwaitingHceAsync(app);
        var link = links["hce"];
        var anonymous = app.ClientFor(null);

        var negative = await anonymous.SubmitAsync(link, ("decision", "Approve"), ("revenue", "-5"), ("capital", "0"));
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        var beyond = await anonymous.SubmitAsync(link, ("decision", "Defer"), ("deferUntil-day", "31"), ("deferUntil-month", "12"), ("deferUntil-year", "9999"), ("deferReasons", "Later"));
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Equal(BidStage.HceRecommendation, (await StateAsync(app, bidId)).Stage);

        var noLine = await anonymous.SubmitAsync(link, ("decision", "Approve"), ("revenue", "50000.00"), ("capital", "0"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noLine.StatusCode);
        Assert.Contains("Name the budget line the Board would draw the amount from.", await noLine.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var corrected = await anonymous.SubmitAsync(link, ("decision", "Approve"), ("revenue", "50000.00"), ("capital", "0"), ("budgetLineId", AppFactory.Line));
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        var proposed = await StateAsync(app, bidId);
        Assert.Equal((BidStage.HceRecommendation, 50_000m, "hce"), (proposed.Stage, proposed.PendingMotion!.Terms.Amount!.Total, proposed.PendingMotion.ProposedBy));
        var again = await anonymous.SubmitAsync(link, ("decision", "Reject"), ("reasons", "Changed my mind"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already been used", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_applicant_sees_decisions_on_their_bid_but_not_the_partnerships_internal_working()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
        await HceRecommendsAsync(app, bidId, new { decision = "Approve", revenue = 50_000m, capital = 0m, conditions = "Internal advice", budgetLineId = AppFactory.Line });
        await app.ClientFor("board").CommandAsync($"/api/bids/{bidId}/votes", new { motionId = await MotionAsync(app, bidId), interest = "A trustee of the applicant" }).Ok();
        await DrainAsync(app);

        var own = await DetailAsync(app.ClientFor("applicant-kca"), bidId);
        var types = own.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains("BidSubmitted", types);
        Assert.DoesNotContain("HceRecommendedApproval", types);
        Assert.DoesNotContain("MotionPut", types);
        Assert.DoesNotContain("VoteRecorded", types);
        Assert.DoesNotContain(own.GetProperty("bid").GetProperty("motions").EnumerateArray(), _ => true);
        Assert.DoesNotContain(own.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("by").GetString() is "hce" or "coordinator");
        Assert.Equal(JsonValueKind.Null, own.GetProperty("bid").GetProperty("recommendation").ValueKind);
        Assert.Equal(JsonValueKind.Null, own.GetProperty("effects").ValueKind);

        var staff = await DetailAsync(app.ClientFor("coordinator"), bidId);
        Assert.Contains(staff.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("type").GetString() == "MotionPut" && e.GetProperty("by").GetString() == "hce");
        Assert.Contains(staff.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("type").GetString() == "InterestDeclared" && e.GetProperty("by").GetString() == "board");
    }

    [Fact]
    public async Task Uploads_with_a_reused_key_or_onto_a_generated_document_are_refused_and_downloads_cannot_run()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var applicant = app.ClientFor("applicant-kca");
        var bidId = await StartAsync(applicant);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(applicant, bidId, "Budget", Pdf, "budget.pdf", key: "same-key")).StatusCode);
        var different = await UploadAsync(applicant, bidId, "Budget", SampleFiles.Docx("another file"), "budget.docx", key: "same-key");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.StatusCode);
        Assert.Single((await StateAsync(app, bidId)).Documents);

        var approved = await PlantedBids.AwaitingBoardAsync(app, new Funding(10_000m, 0m), "Generated agreement");
        await BoardAgreesAsync(app, approved);
        await DrainAsync(app);
        var agreement = (await StateAsync(app, approved)).Documents.Single(d => d.Kind == DocumentKind.GrantAgreement);
        var replaced = await UploadAsync(applicant, approved, "Other", Pdf, "agreement.pdf", documentId: agreement.DocumentId);
        Assert.Equal(HttpStatusCode.Forbidden, replaced.StatusCode);
        Assert.Single((await StateAsync(app, approved)).Documents, d => d.DocumentId == agreement.DocumentId);

        var download = await app.ClientFor("coordinator").GetAsync($"/api/bids/{approved}/documents/{agreement.DocumentId}/content");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Matches("^[A-Za-z0-9._-]+$", download.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        Assert.Contains("sandbox", download.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decision_tokens_and_the_inbound_secret_never_reach_the_logs()
    {
        var logs = new ConcurrentQueue<string>();
        await using var app = new AppFactory(azurite, s => s.AddLogging(l => l.AddProvider(new CollectingLogger(logs))), new Dictionary<string, string>
        {
            ["Email:InboundSecret"] = "very-secret-inbound-path",
            ["Logging:LogLevel:Default"] = "Trace",
        });
        await app.SeedAsync();
        var (_, links) = await AwaitingHceAsync(app);
        var link = links["hce"];
        var token = link["/decisions/".Length..];
        logs.Clear();

        var anonymous = app.ClientFor(null);
        await anonymous.GetAsync(link);
        await anonymous.SubmitAsync(link, ("decision", "Reject"), ("reasons", "Outside the priorities"));
        using var reply = new MultipartFormDataContent { { new StringContent("hce@example.org"), "from" }, { new StringContent("APPROVE"), "text" } };
        await app.CreateClient().PostAsync("/webhooks/sendgrid/inbound/very-secret-inbound-path", reply);

        Assert.NotEmpty(logs);
        Assert.DoesNotContain(logs, l => l.Contains(token, StringComparison.Ordinal) || l.Contains(token[..40], StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("very-secret-inbound-path", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replies_that_fail_sender_checks_or_name_an_unclear_amount_record_nothing()
    {
        await using var app = new AppFactory(azurite, settings: new Dictionary<string, string> { ["Email:InboundSecret"] = "s3cret" });
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
        await DrainAsync(app);
        var replyTo = (await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None)).Single(m => m.Template == "decision-prompt-hce" && m.To == "hce").ReplyTo!;

        async Task<HttpResponseMessage> ReplyAsync(string text, string spf, string dkim)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(spf), "SPF" }, { new StringContent(dkim), "dkim" }, { new StringContent(text), "text" },
                { new StringContent($$"""{"to":["{{replyTo}}"],"from":"hce@example.org"}"""), "envelope" },
            };
            return await app.CreateClient().PostAsync("/webhooks/sendgrid/inbound/s3cret", form);
        }

        Assert.Equal(HttpStatusCode.OK, (await ReplyAsync("APPROVE", "fail", "none")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ReplyAsync("APPROVE", "softfail", "{@attacker.example : pass}")).StatusCode);
        foreach (var unclear in new[] { "APPROVE 5000GBP", "APPROVE £5k", "APPROVE 12.345", "APPROVE 1,00,000", "APPROVE 999999999999" })
        {
            await ReplyAsync(unclear, "pass", "none");
        }

        Assert.Equal(BidStage.HceRecommendation, (await StateAsync(app, bidId)).Stage);
        var answers = (await app.Get<MessageLog>().ListAsync("", CancellationToken.None)).Where(m => m.Template == "reply").ToList();
        Assert.Equal(5, answers.Count(m => m.Subject.StartsWith("We could not read your decision", StringComparison.Ordinal)));

        await ReplyAsync($"APPROVE 5,000.00 {AppFactory.Line} Quarterly reports", "fail", "{@example.org : pass}");
        var state = await StateAsync(app, bidId);
        Assert.Equal((BidStage.HceRecommendation, 5_000m, AppFactory.Line, "Quarterly reports"), (state.Stage, state.PendingMotion!.Terms.Amount!.Total, state.PendingMotion.Terms.BudgetLineId, state.PendingMotion.Terms.Text));
    }

    [Fact]
    public async Task When_storage_stalls_requests_answer_503_within_seconds_and_health_says_so()
    {
        using var stall = new TcpListener(System.Net.IPAddress.Loopback, 0);
        stall.Start();
        var held = new ConcurrentBag<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                held.Add(await stall.AcceptTcpClientAsync());
            }
        });
        var port = ((System.Net.IPEndPoint)stall.LocalEndpoint).Port;
        var stalled = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Convert.ToBase64String(new byte[64])};" +
            $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        await using var app = new AppFactory(azurite, s => s.Remove(s.Single(d => d.ImplementationType == typeof(Hosting.StorageInitializer))), new Dictionary<string, string>
        {
            ["Storage:ConnectionString"] = stalled,
            ["Storage:RequestTimeout"] = "00:00:01",
            ["Storage:MaxRetries"] = "1",
        });

        var timer = Stopwatch.StartNew();
        var list = await app.ClientFor("coordinator").GetAsync("/api/bids");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, list.StatusCode);
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(15), $"took {timer.Elapsed}");
        Assert.NotNull(list.Headers.RetryAfter);

        timer.Restart();
        var health = await app.ClientFor(null).GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(10), $"took {timer.Elapsed}");
        stall.Stop();
    }

    [Fact]
    public async Task A_line_stored_with_decimals_maximum_before_the_ceiling_leaves_every_view_answering()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        await app.Get<Budgets.BudgetLedger>().AddLineAsync(new Workflows.Budgets.BudgetLine("old-huge-line", AppFactory.Fund, "Stored before the ceiling", "2011/12", new Funding(decimal.MaxValue, decimal.MaxValue),
            [new Workflows.Budgets.SetAside("Premises", new Funding(0m, decimal.MaxValue))], System.Collections.Immutable.ImmutableDictionary<string, Funding>.Empty), CancellationToken.None);

        var coordinator = app.ClientFor("coordinator");
        var lines = await coordinator.GetFromJsonAsync<JsonElement>($"/api/funds/{AppFactory.Fund}/budget-lines");
        Assert.Equal([AppFactory.Line], lines.EnumerateArray().Select(l => l.GetProperty("id").GetString()));
        var summary = await coordinator.GetFromJsonAsync<JsonElement>("/api/reports/budget-summary");
        Assert.Equal(250_000m, summary.GetProperty("totalUnallocated").GetProperty("revenue").GetDecimal());
        await coordinator.GetAsync("/api/reports/budget-summary.csv").Ok();
        var refused = await coordinator.CommandAsync($"/api/funds/{AppFactory.Fund}/budget-lines", new { id = "new-huge-line", name = "Too big", financialYear = "2026/27", revenue = 79228162514264337593543950335m, capital = 0m });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    private sealed class CollectingLogger(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            lines.Enqueue(formatter(state, exception) + (state is IEnumerable<KeyValuePair<string, object?>> values ? string.Join(" ", values.Select(v => v.Value)) : ""));
        }

        public void Dispose()
        {
        }
    }
}

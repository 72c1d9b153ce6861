using System.Net.Http.Json;
using Partnership.Functions.Budgets;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

/// <summary>
/// Fifty copies of each command that moves money or starts something, sent at once with one Idempotency-Key: one
/// answer for all fifty, the command applied once, and every budget line holding exactly its grants' awards.
/// </summary>
public class ConcurrencyTests(AzuriteFixture azurite)
{
    private const int Copies = 50;

    [Fact]
    public async Task Fifty_copies_of_each_money_or_start_command_give_one_answer_and_apply_once()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();

        var (startAnswers, _) = await FiftyAsync(app, "applicant-kca", HttpMethod.Post, "/api/bids", Proposal("Raced start"));
        var bidId = System.Text.Json.JsonDocument.Parse(startAnswers.Single()[4..]).RootElement.GetProperty("bidId").GetString()!;
        Assert.Single(startAnswers);
        Assert.StartsWith("201 ", startAnswers.Single(), StringComparison.Ordinal);
        Assert.Single(await app.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None), e => e.Event is BidStarted);

        var approved = await PlantedBids.AwaitingBoardAsync(app, new Funding(40_000m, 5_000m), "Raced approval");
        await AgreeAsync(app, approved, "board-chair");
        var (approvalAnswers, _) = await FiftyAsync(app, "board", HttpMethod.Post, $"/api/bids/{approved}/votes", new { motionId = "board-1", vote = "Agrees" });
        Assert.Single(approvalAnswers);
        Assert.StartsWith("200 ", approvalAnswers.Single(), StringComparison.Ordinal);
        Assert.Equal(BidStage.Contracting, (await StateAsync(app, approved)).Stage);
        Assert.Single(await app.Get<BidRepository>().HistoryAsync(approved, CancellationToken.None), e => e.Event is BoardApproved);

        var varied = await PlantedBids.InMonitoringAsync(app, new Funding(20_000m, 0m), "Raced variation", new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31));
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{varied}/variations", new { kind = "ChangeAward", reason = "More families", newAward = new { revenue = 25_000m, capital = 0m } }).Ok();
        var (variationAnswers, _) = await FiftyAsync(app, "hce", HttpMethod.Post, $"/api/bids/{varied}/variations/decision", new { agree = true });
        Assert.StartsWith("200 ", Assert.Single(variationAnswers), StringComparison.Ordinal);
        Assert.Equal(25_000m, (await StateAsync(app, varied)).ApprovedAmount!.Revenue);

        await app.ClientFor("finance").CommandAsync($"/api/bids/{varied}/instalments", new[] { new { number = 1, dueOn = "2026-12-01", revenue = 25_000m, capital = 0m } }, method: HttpMethod.Put).Ok();
        var (paymentAnswers, _) = await FiftyAsync(app, "finance", HttpMethod.Post, $"/api/bids/{varied}/payments", new { instalment = 1, revenue = 10_000m, capital = 0m, paidOn = "2026-11-20", reference = "BACS-1" });
        var paymentAnswer = Assert.Single(paymentAnswers);
        Assert.True(paymentAnswer.StartsWith("200 ", StringComparison.Ordinal), paymentAnswer);
        Assert.Single((await StateAsync(app, varied)).Payments);

        var (lineAnswers, _) = await FiftyAsync(app, "coordinator", HttpMethod.Post, $"/api/funds/{AppFactory.Fund}/budget-lines", new { id = "raced-line", name = "Raced line", financialYear = "2026/27", revenue = 1_000m, capital = 0m, setAsides = Array.Empty<object>() });
        Assert.True(lineAnswers.Count == 1, string.Join("\n", lineAnswers));
        Assert.StartsWith("201 ", lineAnswers.Single(), StringComparison.Ordinal);

        await LinesHoldTheirGrantsAsync(app, [approved, varied]);
    }

    [Fact]
    public async Task Fifty_copies_of_a_closure_return_the_unspent_award_once()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await PlantedBids.InMonitoringAsync(app, new Funding(30_000m, 0m), "Raced closure", new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31));
        app.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 1, 10, 0, 0, TimeSpan.Zero));
        await FireDueAsync(app);
        Assert.Equal(BidStage.Closing, (await StateAsync(app, bidId)).Stage);
        await app.ClientFor("applicant-kca").CommandAsync($"/api/bids/{bidId}/returns/2026q3", new { actualSpend = new { revenue = 12_000m, capital = 0m }, narrative = "Final quarter." }).Ok();
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/returns/2026q3/acceptance").Ok();

        var (answers, _) = await FiftyAsync(app, "coordinator", HttpMethod.Post, $"/api/bids/{bidId}/closure", new { });
        Assert.Single(answers);
        var closed = await StateAsync(app, bidId);
        Assert.Equal((BidStage.Closed, 18_000m), (closed.Stage, closed.ReturnedAtClosure!.Total));
        Assert.Single(await app.Get<BidRepository>().HistoryAsync(bidId, CancellationToken.None), e => e.Event is UnspentReturned);
        await LinesHoldTheirGrantsAsync(app, [bidId]);
    }

    /// <summary>Sends the same command fifty times at once with one key; the distinct answers (status and body) come back.</summary>
    private static async Task<(IReadOnlySet<string> Answers, string Key)> FiftyAsync(AppFactory app, string user, HttpMethod method, string url, object body)
    {
        var key = Guid.NewGuid().ToString();
        var clients = Enumerable.Range(0, Copies).Select(_ => app.ClientFor(user)).ToList();
        using var start = new SemaphoreSlim(0);
        var sends = clients.Select(async client =>
        {
            await start.WaitAsync();
            var response = await client.CommandAsync(url, body, key, method);
            return $"{(int)response.StatusCode} {System.Text.RegularExpressions.Regex.Replace(await response.Content.ReadAsStringAsync(), "\"traceId\":\"[^\"]*\"", "")}";
        }).ToList();
        start.Release(Copies);
        var answers = (await Task.WhenAll(sends)).ToHashSet();
        return (answers, key);
    }

    /// <summary>Every line's allocation to each bid is that bid's award, and nothing else is allocated.</summary>
    private static async Task LinesHoldTheirGrantsAsync(AppFactory app, IReadOnlyList<string> bidIds)
    {
        var states = await Task.WhenAll(bidIds.Select(id => StateAsync(app, id)));
        foreach (var line in await app.Get<BudgetLedger>().LinesAsync(null, CancellationToken.None))
        {
            var grants = states.Where(s => s.BudgetLineId == line.Id && s.Stage != BidStage.Closed).ToDictionary(s => s.BidId, s => s.ApprovedAmount!);
            var closed = states.Where(s => s.BudgetLineId == line.Id && s.Stage == BidStage.Closed).ToDictionary(s => s.BidId, s => new Funding(s.ApprovedAmount!.Revenue - s.ReturnedAtClosure!.Revenue, s.ApprovedAmount.Capital - s.ReturnedAtClosure.Capital));
            var expected = grants.Concat(closed).Where(g => g.Value.Total != 0m).ToDictionary(g => g.Key, g => g.Value);
            Assert.Equal(expected.OrderBy(g => g.Key, StringComparer.Ordinal), line.Allocations.OrderBy(g => g.Key, StringComparer.Ordinal));
            Assert.True(line.Unallocated.Revenue >= 0m && line.Unallocated.Capital >= 0m, $"{line.Id} is below zero: {line.Unallocated}");
        }
    }
}

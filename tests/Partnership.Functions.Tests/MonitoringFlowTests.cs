using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Partnership.Functions.Budgets;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Grants;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

public class MonitoringFlowTests(AzuriteFixture azurite)
{
    private static readonly DateOnly GrantStart = new(2027, 1, 1);
    private static readonly DateOnly GrantEnd = new(2027, 12, 31);

    private static async Task<int> FireAtAsync(AppFactory app, DateTimeOffset instant)
    {
        app.Clock.SetUtcNow(instant);
        return await FireDueAsync(app);
    }

    private static async Task<List<string>> TemplatesAsync(AppFactory app, string bidId, string to) =>
        [.. (await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None)).Where(m => m.To == to).Select(m => m.Template)];

    private static object Return(decimal spent) => new
    {
        actualSpend = new { revenue = spent, capital = 0m },
        forecasts = new[]
        {
            new { quarter = "2027q1", revenue = 10_000m, capital = 0m },
            new { quarter = "2027q2", revenue = 10_000m, capital = 0m },
            new { quarter = "2027q3", revenue = 11_000m, capital = 0m },
        },
        identifiedUnderspend = new { revenue = 0m, capital = 0m },
        narrative = "Families identified and mapping begun.",
        milestones = new[] { new { milestone = "Pilot group agreed", rating = "Green", comment = "26 families" } },
        outcomes = new[] { new { measure = "Families mapped", baseline = 0m, target = 30m, actual = 12m } },
    };

    [Fact]
    public async Task Returns_are_chased_up_the_ladder_escalated_and_hold_payments_until_they_arrive()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await PlantedBids.InMonitoringAsync(app, new Funding(40_000m, 0m), "Top Families Project", GrantStart, GrantEnd);
        var state = await StateAsync(app, bidId);
        Assert.Equal([("2026q4", new DateOnly(2027, 4, 19)), ("2027q1", new DateOnly(2027, 7, 19)), ("2027q2", new DateOnly(2027, 10, 18)), ("2027q3", new DateOnly(2028, 1, 17))],
            state.Returns.Select(r => (r.Quarter, r.DueOn)));
        Assert.Equal(4, state.Instalments.Count);
        var finance = app.ClientFor("finance");

        Assert.Equal(1, await FireAtAsync(app, new DateTimeOffset(2027, 4, 5, 8, 30, 0, TimeSpan.Zero)));
        Assert.Equal(["return-due-soon"], await TemplatesAsync(app, bidId, "applicant-kca") is var early ? early.Where(t => t.StartsWith("return", StringComparison.Ordinal)) : []);
        await finance.CommandAsync($"/api/bids/{bidId}/payments", new { instalment = 1, revenue = 5_000m, paidOn = "2027-04-05", reference = "BACS 001" }).Ok();

        foreach (var day in new[] { 16, 19, 20, 26 })
        {
            Assert.Equal(1, await FireAtAsync(app, new DateTimeOffset(2027, 4, day, 8, 30, 0, TimeSpan.Zero)));
        }

        var held = await finance.CommandAsync($"/api/bids/{bidId}/payments", new { instalment = 1, revenue = 5_000m, paidOn = "2027-04-26", reference = "BACS 002" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, held.StatusCode);
        Assert.Equal("Payments are held while the 2026/27 Q4 return is overdue (it was due on 19 April 2027).", (await held.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        foreach (var day in new[] { 3, 10 })
        {
            Assert.Equal(1, await FireAtAsync(app, new DateTimeOffset(2027, 5, day, 8, 30, 0, TimeSpan.Zero)));
        }

        var applicantTemplates = (await TemplatesAsync(app, bidId, "applicant-kca")).Where(t => t.StartsWith("return", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(["return-due-soon", "return-due-soon", "return-due-today", "return-overdue", "return-overdue", "return-overdue", "return-overdue"], applicantTemplates);
        Assert.Equal(["return-overdue-coordinators"], (await TemplatesAsync(app, bidId, "coordinator")).Where(t => t.StartsWith("return-overdue", StringComparison.Ordinal)));
        Assert.Equal(["return-overdue-hce"], (await TemplatesAsync(app, bidId, "hce")).Where(t => t.StartsWith("return-overdue", StringComparison.Ordinal)));

        var returns = await app.ClientFor("coordinator").GetFromJsonAsync<JsonElement>("/api/reports/returns");
        var overdue = Assert.Single(returns.GetProperty("overdue").EnumerateArray());
        Assert.Equal(("2026/27 Q4", 21, "Hce"), (overdue.GetProperty("quarter").GetString(), overdue.GetProperty("daysLate").GetInt32(), overdue.GetProperty("escalation").GetString()));
        Assert.Equal(new DateTimeOffset(2027, 5, 10, 8, 30, 0, TimeSpan.Zero), overdue.GetProperty("lastReminderAt").GetDateTimeOffset());

        app.Clock.SetUtcNow(new DateTimeOffset(2027, 5, 11, 9, 0, 0, TimeSpan.Zero));
        await app.ClientFor("applicant-kca").CommandAsync($"/api/bids/{bidId}/returns/2026q4", Return(9_000m)).Ok();
        Assert.DoesNotContain((await StateAsync(app, bidId)).Timers, t => t.Subject == "2026q4");
        var stillHeld = await finance.CommandAsync($"/api/bids/{bidId}/payments", new { instalment = 2, revenue = 10_000m, paidOn = "2027-05-11", reference = "BACS 003" });
        Assert.Contains("held until the 2026/27 Q4 return is accepted", await stillHeld.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/returns/2026q4/acceptance").Ok();
        await finance.CommandAsync($"/api/bids/{bidId}/payments", new { instalment = 1, revenue = 5_000m, paidOn = "2027-05-11", reference = "BACS 004" }).Ok();
        await finance.CommandAsync($"/api/bids/{bidId}/payments", new { instalment = 2, revenue = 10_000m, paidOn = "2027-05-11", reference = "BACS 005" }).Ok();
        Assert.Equal(new Funding(20_000m, 0m), (await StateAsync(app, bidId)).Paid);

        Assert.Equal(0, await FireAtAsync(app, new DateTimeOffset(2027, 5, 18, 8, 30, 0, TimeSpan.Zero)));
        Assert.Empty((await app.ClientFor("coordinator").GetFromJsonAsync<JsonElement>("/api/reports/returns")).GetProperty("overdue").EnumerateArray());
    }

    [Fact]
    public async Task The_coordinators_views_follow_the_returns_and_export_safely_to_csv()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await PlantedBids.InMonitoringAsync(app, new Funding(40_000m, 0m), "Top Families Project", GrantStart, GrantEnd);
        var awaiting = await PlantedBids.AwaitingBoardAsync(app, new Funding(2_000m, 0m), "=HYPERLINK(\"http://evil\")");
        await BoardAgreesAsync(app, awaiting);
        await DrainAsync(app);
        app.Clock.SetUtcNow(new DateTimeOffset(2027, 4, 2, 9, 0, 0, TimeSpan.Zero));
        await app.ClientFor("applicant-kca").CommandAsync($"/api/bids/{bidId}/returns/2026q4", Return(9_000m)).Ok();
        await DrainAsync(app);
        var coordinator = app.ClientFor("coordinator");

        var spend = await coordinator.GetFromJsonAsync<JsonElement>("/api/reports/spend-monitoring?year=2026");
        var row = Assert.Single(spend.EnumerateArray());
        Assert.Equal(40_000m, row.GetProperty("awarded").GetProperty("total").GetDecimal());
        var q4 = row.GetProperty("quarters")[3];
        Assert.Equal(("2026/27 Q4", 9_000m, true), (q4.GetProperty("label").GetString(), q4.GetProperty("amount").GetProperty("total").GetDecimal(), q4.GetProperty("isActual").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, row.GetProperty("quarters")[0].GetProperty("amount").ValueKind);
        Assert.Equal(0m, row.GetProperty("projectedUnderspend").GetProperty("total").GetDecimal());
        var nextYear = Assert.Single((await coordinator.GetFromJsonAsync<JsonElement>("/api/reports/spend-monitoring?year=2027")).EnumerateArray());
        Assert.Equal((10_000m, false), (nextYear.GetProperty("quarters")[0].GetProperty("amount").GetProperty("total").GetDecimal(), nextYear.GetProperty("quarters")[0].GetProperty("isActual").GetBoolean()));

        var contracts = await coordinator.GetFromJsonAsync<JsonElement>("/api/reports/contract-status");
        var statuses = contracts.EnumerateArray().ToDictionary(r => r.GetProperty("project").GetString()!, r => r.GetProperty("status").GetString());
        Assert.Equal("Signed contract received on 23 November. Purchase order raised. 2nd quarterly return due 19 July.", statuses["Top Families Project"]);
        Assert.Equal("Approved; contract to be sent.", statuses["=HYPERLINK(\"http://evil\")"]);

        var csv = await coordinator.GetStringAsync("/api/reports/contract-status.csv");
        Assert.StartsWith("Organisation,Project,Status", csv, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\"", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", csv, StringComparison.Ordinal);
        var spendCsv = await coordinator.GetStringAsync("/api/reports/spend-monitoring.csv?year=2026");
        Assert.Contains("Top Families Project,Kids Can Achieve,40000.00,,Not received,,Not received,,Not received,9000.00,Actual,9000.00,0.00,0.00", spendCsv, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor("applicant-kca").GetAsync("/api/reports/contract-status.csv")).StatusCode);
    }

    [Fact]
    public async Task Underspend_moves_to_another_project_on_the_same_line_when_hce_agrees()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var from = await PlantedBids.InMonitoringAsync(app, new Funding(40_000m, 0m), "Harrow Into Work", GrantStart, GrantEnd);
        var to = await PlantedBids.InMonitoringAsync(app, new Funding(20_000m, 0m), "Circles of Support", GrantStart, GrantEnd);
        var before = (await app.Get<BudgetLedger>().FindAsync(AppFactory.Line, CancellationToken.None))!;

        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{from}/variations", new { kind = "MoveUnderspend", reason = "Recruitment slower than planned", amount = new { revenue = 5_000m, capital = 0m }, toBidId = to }).Ok();
        Assert.Equal(40_000m, (await StateAsync(app, from)).ApprovedAmount!.Total);
        await app.ClientFor("hce").CommandAsync($"/api/bids/{from}/variations/decision", new { agree = true }).Ok();
        await DrainAsync(app);

        Assert.Equal(35_000m, (await StateAsync(app, from)).ApprovedAmount!.Total);
        var receiver = await StateAsync(app, to);
        Assert.Equal(25_000m, receiver.ApprovedAmount!.Total);
        Assert.Contains(receiver.Ledger, e => e.LineId == AppFactory.Line && e.Change == new Funding(5_000m, 0m));
        var after = (await app.Get<BudgetLedger>().FindAsync(AppFactory.Line, CancellationToken.None))!;
        Assert.Equal(before.Unallocated, after.Unallocated);
        Assert.Equal((35_000m, 25_000m), (after.AllocatedTo(from).Total, after.AllocatedTo(to).Total));
    }

    [Fact]
    public async Task Increasing_an_award_beyond_the_line_is_refused_and_closure_gives_the_unspent_award_back()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await PlantedBids.InMonitoringAsync(app, new Funding(50_903.27m, 0m), "Top Families Project", new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31));
        var ledger = app.Get<BudgetLedger>();
        var left = (await ledger.FindAsync(AppFactory.Line, CancellationToken.None))!.Unallocated;

        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/variations", new { kind = "ChangeAward", reason = "More families", newAward = new { revenue = 50_903.27m + left.Revenue + 0.01m, capital = 0m } }).Ok();
        var refused = await app.ClientFor("hce").CommandAsync($"/api/bids/{bidId}/variations/decision", new { agree = true });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("£0.01 short of revenue", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.ClientFor("hce").CommandAsync($"/api/bids/{bidId}/variations/decision", new { agree = false, reason = "Not affordable this year" }).Ok();

        await FireAtAsync(app, new DateTimeOffset(2027, 1, 1, 10, 0, 0, TimeSpan.Zero));
        Assert.Equal(BidStage.Closing, (await StateAsync(app, bidId)).Stage);
        await app.ClientFor("applicant-kca").CommandAsync($"/api/bids/{bidId}/returns/2026q3", new { actualSpend = new { revenue = 30_000m, capital = 0m }, narrative = "Final quarter." }).Ok();
        var early = await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/closure");
        Assert.Contains("(final) return has not been accepted", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/returns/2026q3/acceptance").Ok();
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/closure").Ok();

        var closed = await StateAsync(app, bidId);
        Assert.Equal((BidStage.Closed, 20_903.27m), (closed.Stage, closed.ReturnedAtClosure!.Total));
        var line = (await ledger.FindAsync(AppFactory.Line, CancellationToken.None))!;
        Assert.Equal(left.Revenue + 20_903.27m, line.Unallocated.Revenue);
        Assert.Equal(30_000m, line.AllocatedTo(bidId).Revenue);
    }

    [Fact]
    public async Task A_variation_moves_a_grant_between_budget_lines_both_or_neither()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var ledger = app.Get<BudgetLedger>();
        await ledger.AddLineAsync(new Partnership.Workflows.Budgets.BudgetLine("small", AppFactory.Fund, "Small line", "2011/12", new Funding(1_000m, 0m), [], System.Collections.Immutable.ImmutableDictionary<string, Funding>.Empty), CancellationToken.None);
        await ledger.AddLineAsync(new Partnership.Workflows.Budgets.BudgetLine("pump-priming", AppFactory.Fund, "2009/10 Pump Priming", "2009/10", new Funding(22_968m, 0m), [], System.Collections.Immutable.ImmutableDictionary<string, Funding>.Empty), CancellationToken.None);
        var bidId = await PlantedBids.InMonitoringAsync(app, new Funding(15_000m, 0m), "Supporting the partnership", GrantStart, GrantEnd);
        var coordinator = app.ClientFor("coordinator");
        var hce = app.ClientFor("hce");

        await coordinator.CommandAsync($"/api/bids/{bidId}/variations", new { kind = "ChangeBudgetLine", reason = "Use the small line", toLineId = "small" }).Ok();
        var refused = await hce.CommandAsync($"/api/bids/{bidId}/variations/decision", new { agree = true });
        Assert.Contains("Small line is £14,000.00 short of revenue", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(15_000m, (await ledger.FindAsync(AppFactory.Line, CancellationToken.None))!.AllocatedTo(bidId).Total);
        Assert.Equal(0m, (await ledger.FindAsync("small", CancellationToken.None))!.Allocated.Total);
        await hce.CommandAsync($"/api/bids/{bidId}/variations/decision", new { agree = false, reason = "Too small" }).Ok();

        await coordinator.CommandAsync($"/api/bids/{bidId}/variations", new { kind = "ChangeBudgetLine", reason = "Spend the pump priming underspend first", toLineId = "pump-priming" }).Ok();
        await hce.CommandAsync($"/api/bids/{bidId}/variations/decision", new { agree = true }).Ok();
        Assert.Equal(0m, (await ledger.FindAsync(AppFactory.Line, CancellationToken.None))!.AllocatedTo(bidId).Total);
        Assert.Equal(new Funding(7_968m, 0m), (await ledger.FindAsync("pump-priming", CancellationToken.None))!.Unallocated);
        Assert.Equal("pump-priming", (await StateAsync(app, bidId)).BudgetLineId);
    }

    [Fact]
    public async Task The_read_models_can_be_rebuilt_from_the_recorded_bids()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await PlantedBids.InMonitoringAsync(app, new Funding(40_000m, 0m), "Top Families Project", GrantStart, GrantEnd);
        var index = app.Get<Storage>().BidIndex;
        await foreach (var row in index.QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            await index.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        var coordinator = app.ClientFor("coordinator");
        Assert.Equal(0, (await coordinator.GetFromJsonAsync<JsonElement>("/api/bids")).GetArrayLength());
        var rebuilt = await (await coordinator.CommandAsync("/api/reports/rebuild").Ok()).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, rebuilt.GetProperty("rebuilt").GetInt32());
        var contracts = await coordinator.GetFromJsonAsync<JsonElement>("/api/reports/contract-status");
        Assert.Equal(bidId, Assert.Single(contracts.EnumerateArray()).GetProperty("bidId").GetString());
    }
}

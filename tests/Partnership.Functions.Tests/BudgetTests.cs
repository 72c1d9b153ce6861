using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Partnership.Functions.Budgets;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Budgets;
using Partnership.Workflows.Decisions;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

public class BudgetTests(AzuriteFixture azurite)
{
    private static readonly Actor Board = new("board", Role.BoardMember);
    private static readonly Actor Chair = new("board-chair", Role.BoardMember);

    private static async Task AddLineAsync(AppFactory app, string id, Funding total) =>
        await app.Get<BudgetLedger>().AddLineAsync(new BudgetLine(id, AppFactory.Fund, id, "2011/12", total, [], ImmutableDictionary<string, Funding>.Empty), CancellationToken.None);

    [Fact]
    public void A_line_refuses_to_go_below_zero_and_names_the_shortfall_to_the_penny()
    {
        var line = new BudgetLine("underspend", "fund", "December 2011 underspend", "2011/12", new Funding(73_903.20m, 94_139m),
            [new SetAside("Community premises", new Funding(0m, 60_000m))], ImmutableDictionary<string, Funding>.Empty);
        Assert.Equal(new Funding(73_903.20m, 34_139m), line.Unallocated);
        var first = Assert.IsType<BudgetAdjusted>(line.Adjust("summits", new Funding(15_000m, 0m))).Line;
        var second = Assert.IsType<BudgetAdjusted>(first.Adjust("local-information-system", new Funding(8_000m, 0m))).Line;
        var refused = Assert.IsType<BudgetRefused>(second.Adjust("top-families", new Funding(50_903.27m, 0m)));
        Assert.Equal("December 2011 underspend is £0.07 short of revenue: £50,903.20 unallocated against £50,903.27 asked.", refused.Reason);
        Assert.IsType<BudgetRefused>(second.Adjust("capital", new Funding(0m, 34_139.01m)));
        Assert.IsType<BudgetRefused>(second.Adjust("summits", new Funding(-15_000.01m, 0m)));
        var returned = Assert.IsType<BudgetAdjusted>(second.Adjust("summits", new Funding(-15_000m, 0m))).Line;
        Assert.Equal(new Funding(65_903.20m, 34_139m), returned.Unallocated);
        Assert.False(returned.Allocations.ContainsKey("summits"));
    }

    [Fact]
    public async Task Board_approval_allocates_from_the_line_and_the_third_december_proposal_is_refused_for_seven_pence()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        await AddLineAsync(app, "december-2011-underspend", new Funding(73_903.20m, 0m));
        var board = app.ClientFor("board");
        var summits = await PlantedBids.AwaitingBoardAsync(app, new Funding(15_000m, 0m), "Supporting the partnership", line: "december-2011-underspend");
        var lis = await PlantedBids.AwaitingBoardAsync(app, new Funding(8_000m, 0m), "Local Information System upkeep", line: "december-2011-underspend");
        var families = await PlantedBids.AwaitingBoardAsync(app, new Funding(50_903.27m, 0m), "Top Families Project", line: "december-2011-underspend");

        await BoardAgreesAsync(app, summits);
        await BoardAgreesAsync(app, lis);
        await AgreeAsync(app, families, "board-chair");
        Assert.Equal(2, await MovesAsync(app));
        var refused = await board.CommandAsync($"/api/bids/{families}/votes", new { motionId = "board-1", vote = "Agrees" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("£0.07 short of revenue", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(BidStage.BoardApproval, (await StateAsync(app, families)).Stage);
        var line = (await app.Get<BudgetLedger>().FindAsync("december-2011-underspend", CancellationToken.None))!;
        Assert.Equal(new Funding(50_903.20m, 0m), line.Unallocated);
        Assert.Equal(new[] { lis, summits }.Order(), line.Allocations.Keys.Order());
        var approved = await StateAsync(app, summits);
        Assert.Equal(BidStage.Contracting, approved.Stage);
        Assert.Equal("december-2011-underspend", approved.BudgetLineId);
        Assert.Equal(2, await MovesAsync(app));
    }

    [Fact]
    public async Task A_hundred_approvals_racing_on_one_line_never_take_it_below_zero()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        await AddLineAsync(app, "contested", new Funding(50_000m, 0m));
        var bids = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            bids.Add(await PlantedBids.AwaitingBoardAsync(app, new Funding(1_000m, 0m), $"Project {i}", line: "contested"));
        }

        // The chair agrees each first, so the member's vote is the one that carries it and moves the money.
        var commands = app.Get<BidCommandService>();
        await Task.WhenAll(bids.Select(bidId => Task.Run(async () =>
        {
            var key = $"chair-{bidId}";
            var result = await commands.ExecuteAsync(bidId, new CastVote(Chair, "board-1", VoteChoice.Agrees), key, CancellationToken.None);
            while (result.Outcome == CommandOutcome.Pending)
            {
                await Task.Delay(200);
                result = await commands.AnswerAsync(bidId, Chair, key, CancellationToken.None);
            }

            Assert.Equal(CommandOutcome.Accepted, result.Outcome);
        })));
        Assert.Equal(0, await MovesAsync(app));

        var results = await Task.WhenAll(bids.Select(bidId => Task.Run(async () =>
        {
            // A hundred bids at once keep the engine busy for longer than a caller waits; the status answers in the end.
            var result = await commands.ExecuteAsync(bidId, new CastVote(Board, "board-1", VoteChoice.Agrees), $"approve-{bidId}", CancellationToken.None);
            while (result.Outcome == CommandOutcome.Pending)
            {
                await Task.Delay(200);
                result = await commands.AnswerAsync(bidId, Board, $"approve-{bidId}", CancellationToken.None);
            }

            return result;
        })));

        var accepted = results.Where(r => r.Outcome == CommandOutcome.Accepted).Select(r => r.BidId).ToHashSet();
        Assert.Equal(50, accepted.Count);
        Assert.All(results.Where(r => r.Outcome != CommandOutcome.Accepted), r =>
        {
            Assert.Equal(CommandOutcome.Refused, r.Outcome);
            Assert.Contains("£1,000.00 short of revenue: £0.00 unallocated", r.Reason, StringComparison.Ordinal);
        });
        var line = (await app.Get<BudgetLedger>().FindAsync("contested", CancellationToken.None))!;
        Assert.Equal(Funding.Zero, line.Unallocated);
        Assert.Equal(accepted, line.Allocations.Keys.ToHashSet());
        foreach (var bidId in bids)
        {
            Assert.Equal(accepted.Contains(bidId) ? BidStage.Contracting : BidStage.BoardApproval, (await StateAsync(app, bidId)).Stage);
        }

        Assert.Equal(accepted.Count, await MovesAsync(app));
    }

    [Fact]
    public async Task Moving_a_steps_money_again_after_a_crash_moves_it_once_and_a_refusal_part_way_moves_none()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        await AddLineAsync(app, "line", new Funding(10_000m, 0m));
        await AddLineAsync(app, "small", new Funding(1_000m, 0m));
        var ledger = app.Get<BudgetLedger>();
        var bidId = await PlantedBids.AwaitingBoardAsync(app, new Funding(4_000m, 0m), "Moved twice");

        // An activity whose completion was lost runs again with the same bid, version and command.
        Assert.Null(await ledger.ApplyAsync(bidId, 2, "approve-once-after-a-crash", [new BudgetMove("line", new Funding(4_000m, 0m))], CancellationToken.None));
        Assert.Null(await ledger.ApplyAsync(bidId, 2, "approve-once-after-a-crash", [new BudgetMove("line", new Funding(4_000m, 0m))], CancellationToken.None));
        Assert.Equal(new Funding(6_000m, 0m), (await ledger.FindAsync("line", CancellationToken.None))!.Unallocated);

        var refusal = await ledger.ApplyAsync(bidId, 3, "both-lines-or-neither",
            [new BudgetMove("line", new Funding(1_000m, 0m)), new BudgetMove("small", new Funding(2_000m, 0m))], CancellationToken.None);
        Assert.Contains("short of revenue", refusal, StringComparison.Ordinal);
        Assert.Equal(new Funding(6_000m, 0m), (await ledger.FindAsync("line", CancellationToken.None))!.Unallocated);
        Assert.Equal(new Funding(1_000m, 0m), (await ledger.FindAsync("small", CancellationToken.None))!.Unallocated);
        Assert.Equal(1, await MovesAsync(app));
    }

    [Fact]
    public async Task Coordinators_add_budget_lines_with_set_asides_and_bad_lines_are_refused()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var coordinator = app.ClientFor("coordinator");
        var created = await coordinator.PostAsJsonAsync($"/api/funds/{AppFactory.Fund}/budget-lines", new
        {
            id = "2011-12-laa-reward-grant", name = "2011/12 LAA Reward Grant", financialYear = "2011/12", revenue = 0m, capital = 154_139m,
            setAsides = new[] { new { purpose = "Community premises", revenue = 0m, capital = 60_000m } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(94_139m, view.GetProperty("unallocated").GetProperty("capital").GetDecimal());

        var bad = await coordinator.PostAsJsonAsync($"/api/funds/{AppFactory.Fund}/budget-lines", new { id = "Bad Id", name = "", financialYear = "2011", revenue = 1.005m, capital = -1m });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["Capital", "FinancialYear", "Id", "Name", "Revenue"], errors.EnumerateObject().Select(e => e.Name).Order());
        var again = await coordinator.PostAsJsonAsync($"/api/funds/{AppFactory.Fund}/budget-lines", new { id = "2011-12-laa-reward-grant", name = "x", financialYear = "2011/12", revenue = 1m, capital = 1m });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(2, (await app.Get<BudgetLedger>().LinesAsync(AppFactory.Fund, CancellationToken.None)).Count);
    }

    private static async Task<int> MovesAsync(AppFactory app)
    {
        var count = 0;
        await foreach (var _ in app.Get<Storage>().Budgets.QueryAsync<TableEntity>("RowKey ge 'move-' and RowKey lt 'move.'"))
        {
            count++;
        }

        return count;
    }
}

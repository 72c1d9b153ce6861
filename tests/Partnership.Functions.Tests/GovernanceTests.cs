using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Partnership.Functions.Funds;
using Partnership.Functions.Governance;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Tests;

/// <summary>Who decides for a fund, and what each member has an interest in: the bodies a coordinator names and the members' registers.</summary>
public class GovernanceTests(AzuriteFixture azurite)
{
    private static async Task<JsonElement> BodyAsync(HttpClient client, string kind) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/funds/{AppFactory.Fund}/bodies")).EnumerateArray().Single(b => b.GetProperty("kind").GetString() == kind);

    private static (string, string)[] Board(string chair, string minimumAgreeing, params string[] members) =>
    [
        .. members.Select(m => ("members", m)), ("chair", chair), ("viceChair", ""), ("quorum", "1"), ("quorumDenominator", "3"), ("quorumMinimum", "2"),
        ("writtenMajority", "1"), ("writtenMajorityDenominator", "2"), ("writtenMinimumAgreeing", minimumAgreeing), ("chairsActionLimit", "£5,000"),
    ];

    [Fact]
    public async Task Until_a_coordinator_names_a_body_it_is_everyone_with_its_role_and_a_body_that_cannot_work_is_refused_with_nothing_changed()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var coordinator = app.ClientFor("coordinator");
        var board = await BodyAsync(coordinator, "Board");
        Assert.False(board.GetProperty("named").GetBoolean());
        Assert.Equal(["board", "board-chair"], board.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("userId").GetString()));
        Assert.True(board.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("chair").GetBoolean()).GetProperty("userId").GetString() == "board-chair");

        var alone = await coordinator.SubmitAsync($"/coordinator/funds/{AppFactory.Fund}/bodies/board", Board("board-chair", "1", "board-chair", "board"));
        Assert.Equal(HttpStatusCode.BadRequest, alone.StatusCode);
        Assert.Contains("A written procedure needs at least 2 members agreeing", await alone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var outsider = await coordinator.SubmitAsync($"/coordinator/funds/{AppFactory.Fund}/bodies/board", Board("hce", "2", "board-chair", "board", "hce"));
        Assert.Contains("&#x27;hce&#x27; is not in the directory as a Board member.", await outsider.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var api = await coordinator.PutAsJsonAsync($"/api/funds/{AppFactory.Fund}/bodies/board", new { members = BoardPair, chair = "board", viceChair = "board", quorum = new { numerator = 1, denominator = 3 }, quorumMinimum = 2, writtenMajority = new { numerator = 1, denominator = 2 }, writtenMinimumAgreeing = 2 });
        var problem = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((HttpStatusCode.BadRequest, "The chair and the vice-chair must be different people."), (api.StatusCode, problem.GetProperty("errors").GetProperty("Members")[0].GetString()));
        Assert.Empty((await app.Get<FundStore>().FindAsync(AppFactory.Fund, CancellationToken.None))!.Bodies);

        Assert.Equal(HttpStatusCode.OK, (await coordinator.SubmitAsync($"/coordinator/funds/{AppFactory.Fund}/bodies/board", Board("board-chair", "2", "board-chair", "board"))).StatusCode);

        var named = (await new FundStore(app.Get<Infrastructure.Storage>(), app.Get<Workflows.WorkingCalendar>()).FindAsync(AppFactory.Fund, CancellationToken.None))!.Bodies[BodyKind.Board];
        Assert.Equal(["board-chair", "board"], named.Members);
        Assert.Equal(new DecisionBody(BodyKind.Board, [], "board-chair", null, new BodyRules(Share.Third, 2, Share.Half, 2, 5_000m)), named with { Members = [] });
        Assert.True((await BodyAsync(coordinator, "Board")).GetProperty("named").GetBoolean());
        Assert.Contains("value=\"5000.00\"", await coordinator.GetStringAsync($"/coordinator/funds/{AppFactory.Fund}/bodies/board"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_registers_an_interest_and_reviews_the_register_and_the_auditor_reads_it()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var member = app.ClientFor("board");
        Assert.Contains("Your register of interests is due for its yearly review", await member.GetStringAsync("/decisions"), StringComparison.Ordinal);

        var wrong = await member.SubmitAsync("/interests/add", ("organisation", AppFactory.Organisation), ("nature", ""), ("from-day", "1"), ("from-month", "4"), ("from-year", "2026"), ("until-day", "31"), ("until-month", "3"), ("until-year", "2026"));
        var page = await wrong.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("Say what the interest is", page, StringComparison.Ordinal);
        Assert.Contains("An interest ends on or after the day it began.", page, StringComparison.Ordinal);
        Assert.Contains("govuk-error-summary", page, StringComparison.Ordinal);
        Assert.Empty((await app.Get<InterestStore>().FindAsync("board", CancellationToken.None)).Register.Interests);

        var added = await member.SubmitAsync("/interests/add", ("organisation", AppFactory.Organisation), ("nature", "Trustee since 2024"), ("from-day", "1"), ("from-month", "4"), ("from-year", "2024"));
        Assert.Contains("The interest is added to your register.", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var other = await member.SubmitAsync("/interests/add", ("organisation", AddModelAnother), ("organisationId", "GB-CHC-1234567"), ("organisationName", "Harrow Youth Trust"), ("nature", "My partner works there"), ("from-day", "1"), ("from-month", "1"), ("from-year", "2025"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var reviewed = await member.SubmitAsync("/interests");
        Assert.Contains("Your register is reviewed.", await reviewed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("due for its yearly review", await member.GetStringAsync("/decisions"), StringComparison.Ordinal);

        var register = (await app.Get<InterestStore>().FindAsync("board", CancellationToken.None)).Register;
        Assert.Equal(new DateOnly(2026, 11, 23), register.ReviewedOn);
        Assert.Equal([("kids-can-achieve", "Kids Can Achieve", "Trustee since 2024"), ("GB-CHC-1234567", "Harrow Youth Trust", "My partner works there")], register.Interests.Select(i => (i.OrganisationId, i.OrganisationName, i.Nature)));
        Assert.Equal("Trustee since 2024", (await app.Get<InterestStore>().InAsync(AppFactory.Organisation, new DateOnly(2026, 12, 7), CancellationToken.None))["board"]);

        var audit = await app.ClientFor("auditor").GetStringAsync("/audit/interests");
        Assert.Contains("Harrow Youth Trust (GB-CHC-1234567): My partner works there, from 1 January 2025", audit, StringComparison.Ordinal);
        var everyone = await app.ClientFor("auditor").GetFromJsonAsync<JsonElement>("/api/interests");
        Assert.Equal("board", everyone.EnumerateArray().Single().GetProperty("userId").GetString());

        app.Clock.Advance(TimeSpan.FromDays(366));
        Assert.Contains("Review due", await app.ClientFor("auditor").GetStringAsync("/audit/interests"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interest_sent_to_the_api_without_what_it_is_is_refused_with_the_field_named()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var member = app.ClientFor("hce");

        var refused = await member.PostAsJsonAsync("/api/members/me/interests", new { organisationId = "../etc", organisationName = "X", from = "2026-01-01" });
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["Nature", "OrganisationId"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Empty((await member.GetFromJsonAsync<JsonElement>("/api/members/me/interests")).GetProperty("interests").EnumerateArray());

        Assert.Equal(HttpStatusCode.Created, (await member.PostAsJsonAsync("/api/members/me/interests", new { organisationId = "GB-COH-01234567", organisationName = "Harrow Homes Ltd", nature = "Director", from = "2026-01-01" })).StatusCode);
        Assert.Equal("Director", (await member.GetFromJsonAsync<JsonElement>("/api/members/me/interests")).GetProperty("interests")[0].GetProperty("nature").GetString());
    }

    [Fact]
    public async Task A_full_register_takes_no_more_interests_by_the_page_or_the_api()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var full = Enumerable.Range(1, InterestStore.MaxInterests).Select(i => new Interest($"GB-CHC-{i:D7}", $"Charity {i}", "Trustee", new DateOnly(2020, 1, 1))).ToImmutableArray();
        Assert.True(await app.Get<InterestStore>().SaveAsync(new InterestRegister("board", full, null), null, CancellationToken.None));
        var member = app.ClientFor("board");

        var page = await member.SubmitAsync("/interests/add", ("organisation", AppFactory.Organisation), ("nature", "Trustee"), ("from-day", "1"), ("from-month", "4"), ("from-year", "2024"));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("A register holds at most 100 interests", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var api = await member.PostAsJsonAsync("/api/members/me/interests", new { organisationId = "GB-COH-01234567", organisationName = "Harrow Homes Ltd", nature = "Director", from = "2026-01-01" });
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal(InterestStore.MaxInterests, (await app.Get<InterestStore>().FindAsync("board", CancellationToken.None)).Register.Interests.Length);
    }

    private const string AddModelAnother = Pages.Interests.AddModel.Another;

    private static readonly string[] BoardPair = ["board-chair", "board"];
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Partnership.Functions.Outcomes;
using Partnership.Functions.Seeding;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows.Grants;
using static Partnership.Functions.Tests.Support.Bids;
using static Partnership.Functions.Tests.Support.SendGridStub;

namespace Partnership.Functions.Tests;

/// <summary>
/// Appendix 4 as the app keeps it, on the demo's nineteen measures (the papers' years moved forward 15, as the demo
/// moves them): OM14, empty commercial premises, lower is better, target 200 for 2026/27, its 2026/27 Q1 figure 214
/// given and its Q2 figure (due 19 October 2026) not.
/// </summary>
public class OutcomeFrameworkTests(AzuriteFixture azurite)
{
    private const string Lead = "andrew-trehern";

    private static async Task<AppFactory> SeededAsync(AppFactory app)
    {
        await app.SeedAsync();
        await app.Get<OutcomeSeeder>().SeedAsync(15, CancellationToken.None);
        return app;
    }

    private static async Task<JsonElement> MeasureAsync(HttpClient client, string id) => await client.GetFromJsonAsync<JsonElement>($"/api/outcomes/{id}");

    private static JsonElement Year(JsonElement measure, int year) =>
        measure.GetProperty("years").EnumerateArray().Single(y => y.GetProperty("year").GetInt32() == year);

    [Fact]
    public async Task A_lead_gives_the_overdue_quarter_and_the_year_is_rated_by_the_coordinator_s_rule()
    {
        await using var app = await SeededAsync(new AppFactory(azurite));
        var lead = app.ClientFor(Lead);
        var before = (await lead.GetFromJsonAsync<JsonElement>("/api/outcomes/")).EnumerateArray().Single(m => m.GetProperty("measure").GetProperty("id").GetString() == "OM14");
        Assert.Equal(("2026q2", 35), (before.GetProperty("overdue").GetProperty("quarter").GetProperty("key").GetString(), before.GetProperty("overdue").GetProperty("step").GetInt32()));
        Assert.Equal((214m, "Amber"), (Year(before, 2026).GetProperty("actual").GetDecimal(), Year(before, 2026).GetProperty("rating").GetString()));

        await lead.PostAsJsonAsync("/api/outcomes/OM14/values", new { quarter = "2026q2", value = 198, comment = "Void list at 30 September." }).Ok();

        var after = await MeasureAsync(lead, "OM14");
        Assert.Equal((198m, 2, "Green"), (Year(after, 2026).GetProperty("actual").GetDecimal(), Year(after, 2026).GetProperty("quartersReported").GetInt32(), Year(after, 2026).GetProperty("rating").GetString()));
        var given = after.GetProperty("values").EnumerateArray().Last();
        Assert.Equal(("2026q2", "Void list at 30 September.", Lead), (given.GetProperty("quarter").GetString(), given.GetProperty("comment").GetString(), given.GetProperty("recordedBy").GetString()));
        var overview = (await lead.GetFromJsonAsync<JsonElement>("/api/outcomes/")).EnumerateArray().Single(m => m.GetProperty("measure").GetProperty("id").GetString() == "OM14");
        Assert.Equal(JsonValueKind.Null, overview.GetProperty("overdue").ValueKind);
    }

    [Fact]
    public async Task A_figure_given_again_replaces_the_quarter_s_and_the_one_before_is_kept()
    {
        await using var app = await SeededAsync(new AppFactory(azurite));
        var lead = app.ClientFor(Lead);

        await lead.PostAsJsonAsync("/api/outcomes/OM13/values", new { quarter = "2026q2", value = 310, comment = "Corrected for late registrations." }).Ok();

        var om13 = await MeasureAsync(lead, "OM13");
        Assert.Equal([262m, 310m], om13.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("value").GetDecimal()));
        Assert.Equal((572m, "Red"), (Year(om13, 2026).GetProperty("actual").GetDecimal(), Year(om13, 2026).GetProperty("rating").GetString()));
        var replaced = Assert.Single(om13.GetProperty("replaced").EnumerateArray());
        Assert.Equal(("2026q2", 301m), (replaced.GetProperty("quarter").GetString(), replaced.GetProperty("value").GetDecimal()));
    }

    [Theory]
    [InlineData("2026q3", "12", "", "quarter")]
    [InlineData("2025q4", "12", "", "quarter")]
    [InlineData("2026-q2", "12", "", "quarter")]
    [InlineData("2026q2", null, "", "value")]
    [InlineData("2026q2", "0.00001", "", "value")]
    [InlineData("2026q2", "2000000000", "", "value")]
    [InlineData("2026q2", "12", "Bell\u0007", "comment")]
    public async Task A_figure_that_cannot_stand_is_refused_by_field_and_changes_nothing(string quarter, string? value, string comment, string field)
    {
        await using var app = await SeededAsync(new AppFactory(azurite));
        var before = await app.Get<OutcomeStore>().ValuesAsync("OM14", CancellationToken.None);

        var response = await app.ClientFor(Lead).PostAsJsonAsync("/api/outcomes/OM14/values", new { quarter, value = value is null ? (decimal?)null : decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), comment });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await app.Get<OutcomeStore>().ValuesAsync("OM14", CancellationToken.None));
    }

    [Fact]
    public async Task Only_a_measure_s_leads_and_coordinators_give_its_figures()
    {
        await using var app = await SeededAsync(new AppFactory(azurite));
        var body = new { quarter = "2026q2", value = 205 };

        var otherLead = await app.ClientFor("tom-whiting").PostAsJsonAsync("/api/outcomes/OM14/values", body);
        var hce = await app.ClientFor("hce").PostAsJsonAsync("/api/outcomes/OM14/values", body);
        var applicant = await app.ClientFor("applicant-kca").PostAsJsonAsync("/api/outcomes/OM14/values", body);
        var missing = await app.ClientFor("coordinator").PostAsJsonAsync("/api/outcomes/OM99/values", body);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.NotFound), (otherLead.StatusCode, hce.StatusCode, applicant.StatusCode, missing.StatusCode));
        Assert.Single(await app.Get<OutcomeStore>().ValuesAsync("OM14", CancellationToken.None));
        await app.ClientFor("coordinator").PostAsJsonAsync("/api/outcomes/OM14/values", body).Ok();
        Assert.Equal("coordinator", (await app.Get<OutcomeStore>().ValuesAsync("OM14", CancellationToken.None))[^1].RecordedBy);
    }

    [Fact]
    public async Task A_coordinator_sets_targets_and_the_rule_and_a_change_from_a_stale_read_is_refused()
    {
        await using var app = await SeededAsync(new AppFactory(azurite));
        var coordinator = app.ClientFor("coordinator");
        var read = await coordinator.GetAsync("/api/outcomes/OM8");
        var etag = read.Headers.ETag!.Tag;
        var change = new
        {
            baselineYear = 2025, baseline = 81.5m, targets = new Dictionary<string, decimal> { ["2026"] = 84m, ["2027"] = 86m },
            direction = "HigherIsBetter", yearFigure = "LatestQuarter", amberMarginPercent = 2.5m,
            leads = new[] { new { name = "Rob Larkman", userId = "rob-larkman" } }, partners = new[] { "NHS Harrow", "Harrow Council" },
        };

        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/outcomes/OM8") { Content = JsonContent.Create(change) };
        put.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(etag));
        await coordinator.SendAsync(put).Ok();
        using var stale = new HttpRequestMessage(HttpMethod.Put, "/api/outcomes/OM8") { Content = JsonContent.Create(change with { }) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(etag));
        var refused = await coordinator.SendAsync(stale);
        var unknownLead = await coordinator.PutAsJsonAsync("/api/outcomes/OM8", change with { leads = new[] { new { name = "Nobody", userId = "nobody" } } });
        var byLead = await app.ClientFor("rob-larkman").PutAsJsonAsync("/api/outcomes/OM8", change);

        Assert.Equal((HttpStatusCode.PreconditionFailed, HttpStatusCode.BadRequest, HttpStatusCode.Forbidden), (refused.StatusCode, unknownLead.StatusCode, byLead.StatusCode));
        var om8 = (await app.Get<OutcomeStore>().FindAsync("OM8", CancellationToken.None))!.Measure;
        Assert.Equal((2025, 81.5m, 2.5m, 86m), (om8.BaselineYear, om8.Baseline, om8.Rule.AmberMarginPercent, om8.Targets[2027]));
        Assert.Equal(["NHS Harrow", "Harrow Council"], om8.Partners);
    }

    [Fact]
    public async Task A_coordinator_adds_measures_numbered_after_the_last_and_rewords_one()
    {
        await using var app = await SeededAsync(new AppFactory(azurite));
        var coordinator = app.ClientFor("coordinator");
        object New(string title, string? quarter = "2026q3") => new { priority = "Health", outcome = "Older people live independently", title, description = "Falls service data.", baselineYear = 2025, reportingFrom = quarter };

        var added = await Task.WhenAll(Enumerable.Range(1, 3).Select(n => coordinator.PostAsJsonAsync("/api/outcomes/", New($"Fewer falls at home {n}"))));
        var refusals = new[]
        {
            (await coordinator.PostAsJsonAsync("/api/outcomes/", New(" ")), "title"),
            (await coordinator.PostAsJsonAsync("/api/outcomes/", New("Falls", "2026-3")), "reportingFrom"),
            (await coordinator.PostAsJsonAsync("/api/outcomes/", New("Falls\u0000")), "title"),
        };
        var byHce = await app.ClientFor("hce").PostAsJsonAsync("/api/outcomes/", New("Falls"));

        Assert.All(added, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var ids = new List<string>();
        foreach (var answer in added)
        {
            ids.Add((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("measureId").GetString()!);
        }

        Assert.Equal(["OM20", "OM21", "OM22"], ids.Order(StringComparer.Ordinal));
        foreach (var (answer, field) in refusals)
        {
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.True((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), field);
        }

        Assert.Equal(HttpStatusCode.Forbidden, byHce.StatusCode);
        Assert.Equal(22, (await app.Get<OutcomeStore>().ListAsync(CancellationToken.None)).Count);

        var page = await coordinator.SubmitAsync("/outcomes/add",
            ("priority", "Health"), ("outcome", "Older people live independently"), ("title", "Older people helped home from hospital"), ("description", ""), ("baselineYear", "2025"), ("reportingFrom", "2026q4"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/outcomes/OM23/change", page.RequestMessage!.RequestUri!.AbsolutePath);
        var reworded = await coordinator.SubmitAsync("/outcomes/OM23/change",
            ("priority", "Health"), ("outcome", "Better quality of life for older people"), ("title", "Older people at home 91 days after discharge"), ("description", "NHS Outcomes Framework 2B."),
            ("baselineYear", "2025"), ("direction", "HigherIsBetter"), ("yearFigure", "LatestQuarter"), ("amberMargin", "5"), ("target-2026", "82.5"), ("leads", "rob-larkman"));
        Assert.Equal("/outcomes/OM23", reworded.RequestMessage!.RequestUri!.AbsolutePath);
        var om23 = (await app.Get<OutcomeStore>().FindAsync("OM23", CancellationToken.None))!.Measure;
        Assert.Equal(("Older people at home 91 days after discharge", "Better quality of life for older people", new FinancialQuarter(2026, 4), 82.5m, "rob-larkman"), (om23.Title, om23.Outcome, om23.ReportingFrom, om23.Targets[2026], om23.Leads.Single().UserId));
    }

    [Fact]
    public async Task Leads_are_reminded_on_the_returns_ladder_and_lateness_goes_once_to_coordinators_and_hce()
    {
        await using var stub = await StubServer.StartAsync();
        await using var app = await SeededAsync(WithSendGrid(azurite, stub));
        var sender = app.Get<MeasureReminderSender>();

        Assert.Equal(4, await sender.SendDueAsync(CancellationToken.None));
        Assert.Equal(0, await sender.SendDueAsync(CancellationToken.None));

        var reminder = Assert.Single(To(stub, "andrew.trehern@partnership.example.org"));
        Assert.Equal("Overdue: the 2026/27 Q2 figure for OM14 Reduced number of empty commercial premises", Subject(reminder));
        Assert.Contains("was due on 19 October 2026 and has not been given yet", Text(reminder), StringComparison.Ordinal);
        Assert.Contains("http://localhost/outcomes/OM14/record", Text(reminder), StringComparison.Ordinal);
        Assert.Equal(["Late: the 2026/27 Q2 figure for OM14 Reduced number of empty commercial premises, 35 days"], To(stub, "coordinator@example.org").Select(Subject));
        Assert.Single(To(stub, "hce@example.org"));
        Assert.Single(To(stub, "hce2@example.org"));

        app.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(1, await sender.SendDueAsync(CancellationToken.None));
        Assert.Equal(2, To(stub, "andrew.trehern@partnership.example.org").Count);

        await app.ClientFor(Lead).PostAsJsonAsync("/api/outcomes/OM14/values", new { quarter = "2026q2", value = 198 }).Ok();
        app.Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(0, await sender.SendDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_coordinator_sets_the_framework_s_own_ladder_and_a_ladder_that_cannot_work_changes_nothing()
    {
        await using var stub = await StubServer.StartAsync();
        await using var app = await SeededAsync(WithSendGrid(azurite, stub));
        var coordinator = app.ClientFor("coordinator");
        (string, string)[] Ladder(string escalateAfter, string flagAfter) =>
            [("returnDueDay", "17"), ("remindBefore", "14, 3"), ("remindOnDueDate", "true"), ("remindAfter", "1, 7"), ("repeatEvery", "7"), ("escalateAfter", escalateAfter), ("flagAfter", flagAfter)];

        var refused = await coordinator.SubmitAsync("/outcomes/reminders", Ladder("40", "30"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("flag for HCE no sooner than that", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Workflows.Grants.MonitoringSettings.Defaults, await app.Get<OutcomeStore>().LadderAsync(CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, (await coordinator.SubmitAsync("/outcomes/reminders", Ladder("40", "60"))).StatusCode);
        Assert.Equal(1, await app.Get<MeasureReminderSender>().SendDueAsync(CancellationToken.None));
        Assert.Single(To(stub, "andrew.trehern@partnership.example.org"));
        Assert.Empty(To(stub, "coordinator@example.org"));
    }

    [Fact]
    public async Task A_failed_reminder_goes_again_on_the_next_run()
    {
        await using var stub = await StubServer.StartAsync();
        await using var app = await SeededAsync(WithSendGrid(azurite, stub));
        stub.AnswerNext(500);

        var first = await app.Get<MeasureReminderSender>().SendDueAsync(CancellationToken.None);
        var second = await app.Get<MeasureReminderSender>().SendDueAsync(CancellationToken.None);

        Assert.Equal((3, 1), (first, second));
        Assert.Equal(5, stub.Requests.Count);
    }

    [Fact]
    public async Task An_outcome_names_a_partnership_measure_from_the_list_and_an_unknown_one_is_refused()
    {
        await using var app = await SeededAsync(new AppFactory(azurite));
        var applicant = app.ClientFor("applicant-kca");
        var bidId = await StartAsync(applicant);
        var page = $"/bids/{bidId}/case/outcomes";
        (string, string)[] Outcome(string measure) =>
            [("outcome", "Residents into work"), ("measure", "Residents employed"), ("baseline", "0"), ("target", "20"), ("by-day", "31"), ("by-month", "12"), ("by-year", "2027"), ("contributesTo", measure)];

        var added = await applicant.SubmitToAsync(page, page + "?handler=Add&list=outcome", Outcome("OM18"));
        var unknown = await applicant.SubmitToAsync(page, page + "?handler=Add&list=outcome", Outcome("OM99"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.BadRequest), (added.StatusCode, unknown.StatusCode));
        Assert.Contains("Choose a partnership outcome measure from the list, or none.", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("OM18 Increase the number of Harrow citizens who are employed", await applicant.GetStringAsync(page), StringComparison.Ordinal);
        var outcomes = (await StateAsync(app, bidId)).Proposal.Case!.Outcomes;
        Assert.Equal([null, "OM18"], outcomes.Select(o => o.ContributesTo));

        var body = JsonSerializer.SerializeToNode(Proposal("Another project"))!;
        body["proposal"]!["businessCase"]!["outcomes"]![0]!["contributesTo"] = "OM99";
        var refused = await applicant.CommandAsync("/api/bids", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("There is no partnership outcome measure 'OM99'.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Partnership.Functions.Tests.Support;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

/// <summary>
/// Colleagues writing one bid at once through the pages: each save reaches the bid as the change it is, so none
/// undoes another's, and a remove button takes out the entry it was shown beside or, if that is gone, nothing.
/// </summary>
public partial class DraftChangePageTests(AzuriteFixture azurite)
{
    [GeneratedRegex("name=\"entry\" value=\"(?<key>[0-9a-f]+)\"")]
    private static partial Regex EntryKey();

    [Fact]
    public async Task Eight_colleagues_adding_milestones_at_once_all_keep_theirs()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await StartAsync(app.ClientFor("applicant-kca"));
        var page = $"/bids/{bidId}/case/milestones";

        var answers = await Task.WhenAll(Enumerable.Range(1, 8).Select(n => app.ClientFor("applicant-kca").SubmitToAsync(page, page + "?handler=Add&list=milestone",
            ("timescale", $"Month {n}"), ("achievement", $"Step {n} done"))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var milestones = (await StateAsync(app, bidId)).Proposal.Case!.Milestones;
        Assert.Equal(Enumerable.Range(1, 8).Select(n => $"Month {n}").Order(), milestones.Select(m => m.Timescale).Where(t => t.StartsWith("Month", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public async Task Project_details_and_a_section_saved_at_once_both_stand()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await StartAsync(app.ClientFor("applicant-kca"));

        var answers = await Task.WhenAll(
            app.ClientFor("applicant-kca").SubmitAsync($"/bids/{bidId}/project", ("title", "Top Families, phase two"), ("summary", "Phase two."),
                ("grantStart-day", "1"), ("grantStart-month", "4"), ("grantStart-year", "2027"), ("grantEnd-day", "31"), ("grantEnd-month", "3"), ("grantEnd-year", "2029")),
            app.ClientFor("applicant-kca").SubmitToAsync($"/bids/{bidId}/case/need", $"/bids/{bidId}/case/need?handler=Save",
                ("need", "Families with complex needs."), ("activities", "Whole-family working."), ("phases", "Design\nDelivery")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var proposal = (await StateAsync(app, bidId)).Proposal;
        Assert.Equal(("Top Families, phase two", new DateOnly(2029, 3, 31)), (proposal.Title, proposal.GrantEnd));
        Assert.Equal(("Families with complex needs.", 2), (proposal.Case!.Need, proposal.Case.Phases.Count));
    }

    [Fact]
    public async Task A_remove_button_from_an_older_page_takes_out_its_own_entry_or_nothing()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await StartAsync(app.ClientFor("applicant-kca"));
        var page = $"/bids/{bidId}/case/milestones";
        foreach (var n in new[] { 1, 2, 3 })
        {
            await app.ClientFor("applicant-kca").SubmitToAsync(page, page + "?handler=Add&list=milestone", ("timescale", $"Month {n}"), ("achievement", $"Step {n} done"));
        }

        var before = (await StateAsync(app, bidId)).Proposal.Case!.Milestones;
        var seen = EntryKey().Matches(await app.ClientFor("applicant-kca").GetStringAsync(page)).Select(m => m.Groups["key"].Value).ToList();
        Assert.Equal(before.Count, seen.Count);
        var first = before.FindIndex(m => m.Timescale == "Month 1");
        var remove = page + "?handler=Remove&list=milestone";

        var removed = await app.ClientFor("applicant-kca").SubmitToAsync(page, remove, ("entry", seen[first]));
        var again = await app.ClientFor("applicant-kca").SubmitToAsync(page, remove, ("entry", seen[first]));
        var next = await app.ClientFor("applicant-kca").SubmitToAsync(page, remove, ("entry", seen[first + 1]));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.OK), (removed.StatusCode, again.StatusCode, next.StatusCode));
        Assert.Contains("That entry is no longer in the business case", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var left = (await StateAsync(app, bidId)).Proposal.Case!.Milestones;
        Assert.Equal(before.RemoveAt(first).RemoveAt(first), left);
    }
}

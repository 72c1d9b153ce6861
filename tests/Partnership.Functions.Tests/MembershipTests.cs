using System.Net;
using Partnership.Functions.Identity;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

/// <summary>
/// A person may belong to several organisations and acts for one at a time: invited into a second one they keep the
/// first, they choose which they act for, they see and start only that one's bids, and a bid of the other sends them
/// to choose it rather than to a dead end.
/// </summary>
public class MembershipTests(AzuriteFixture azurite)
{
    private const string Kca = AppFactory.Organisation;
    private const string Other = "other-org";

    private static HttpClient PagesFor(AppFactory app, string userId) => app.ClientFor(userId, followRedirects: false);

    private static Task<AppUser?> PersonAsync(AppFactory app, string userId) => app.Get<UserDirectory>().FindAsync(userId, CancellationToken.None);

    [Fact]
    public async Task A_colleague_invited_from_another_organisation_keeps_it_chooses_between_them_and_sees_only_the_chosen_ones_bids()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var kcaBid = await StartAsync(app.ClientFor("applicant-kca"), "Holiday activities");
        var otherBid = await StartAsync(app.ClientFor("applicant-other"), "Luncheon club");
        var inviter = PagesFor(app, "applicant-kca");

        var invited = await inviter.SubmitAsync("/organisation", ("name", "Someone"), ("email", " Bids@Other.example.org "));
        Assert.Equal((HttpStatusCode.Redirect, "/organisation?invited=true"), (invited.StatusCode, invited.Headers.Location?.OriginalString));
        var colleague = await PersonAsync(app, "applicant-other");
        Assert.Equal((Other, "Other applicant"), (colleague!.OrganisationId, colleague.DisplayName));
        Assert.Equal([Other, Kca], colleague.Memberships);
        var invitation = Assert.Single(await app.Get<MessageLog>().ListAsync("", CancellationToken.None), m => m.Template == "invitation");
        Assert.Equal("bids@other.example.org", invitation.Email);
        Assert.Contains("You still act for your other organisations too", invitation.Body, StringComparison.Ordinal);
        Assert.Contains("Other applicant (bids@other.example.org)", await (await inviter.GetAsync("/organisation")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var again = await inviter.SubmitAsync("/organisation", ("name", "Someone"), ("email", "bids@other.example.org"));
        var staff = await inviter.SubmitAsync("/organisation", ("name", "The coordinator"), ("email", "coordinator@example.org"));
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (again.StatusCode, staff.StatusCode));
        Assert.Contains("Other applicant is already one of Kids Can Achieve&#x27;s people.", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("one of the partnership&#x27;s staff", await staff.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null((await PersonAsync(app, "coordinator"))!.OrganisationId);
        Assert.Single(await app.Get<MessageLog>().ListAsync("", CancellationToken.None), m => m.Template == "invitation");

        var pages = PagesFor(app, "applicant-other");
        var home = await (await pages.GetAsync("/applicant")).Content.ReadAsStringAsync();
        Assert.Contains("Luncheon club", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Holiday activities", home, StringComparison.Ordinal);
        Assert.Contains("Change organisation", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Change organisation", await (await inviter.GetAsync("/applicant")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var opened = await pages.GetAsync($"/bids/{kcaBid}");
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Equal($"/organisations/choose?for={Kca}&returnUrl=%2Fbids%2F{kcaBid}", opened.Headers.Location?.OriginalString);
        var choose = await (await pages.GetAsync(opened.Headers.Location!.OriginalString)).Content.ReadAsStringAsync();
        Assert.Contains("What you opened belongs to Kids Can Achieve.", choose, StringComparison.Ordinal);
        Assert.Contains($"value=\"{Kca}\" checked=\"checked\"", choose, StringComparison.Ordinal);

        var notTheirs = await pages.SubmitAsync("/organisations/choose", ("organisationId", "GB-CHC-1129394"));
        var none = await pages.SubmitAsync("/organisations/choose");
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (notTheirs.StatusCode, none.StatusCode));
        Assert.Contains("Choose the organisation you are acting for.", await notTheirs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Other, (await PersonAsync(app, "applicant-other"))!.OrganisationId);

        var chosen = await pages.SubmitAsync("/organisations/choose", ("organisationId", Kca), ("returnUrl", $"/bids/{kcaBid}"));
        Assert.Equal((HttpStatusCode.Redirect, $"/bids/{kcaBid}"), (chosen.StatusCode, chosen.Headers.Location?.OriginalString));
        Assert.Equal(Kca, (await PersonAsync(app, "applicant-other"))!.OrganisationId);
        Assert.Contains("Holiday activities", await (await pages.GetAsync($"/bids/{kcaBid}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        home = await (await pages.GetAsync("/applicant")).Content.ReadAsStringAsync();
        Assert.Contains("Holiday activities", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Luncheon club", home, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor("applicant-other").GetAsync($"/api/bids/{otherBid}")).StatusCode);

        var elsewhere = await pages.SubmitAsync("/organisations/choose", ("organisationId", Other), ("returnUrl", "https://example.com/phish"));
        Assert.Equal("/", elsewhere.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientFor("applicant-other").GetAsync($"/api/bids/{otherBid}")).StatusCode);
    }

    [Fact]
    public async Task Registering_a_second_organisation_acts_for_it_and_a_bid_form_opened_for_the_first_starts_nothing()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var pages = PagesFor(app, "applicant-kca");
        var form = await (await pages.GetAsync($"/bids/start/{AppFactory.Fund}")).Content.ReadAsStringAsync();
        Assert.Contains($"name=\"organisationId\" value=\"{Kca}\"", form, StringComparison.Ordinal);
        Assert.Contains("For Kids Can Achieve.", form, StringComparison.Ordinal);
        var attempt = System.Text.RegularExpressions.Regex.Match(form, "name=\"attempt\" value=\"(?<a>[0-9a-f]+)\"", System.Text.RegularExpressions.RegexOptions.IgnoreCase).Groups["a"].Value;

        Assert.Contains("value=\"bids@kca.example.org\"", await (await pages.GetAsync("/organisations/register")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var registered = await pages.SubmitAsync("/organisations/register",
            ("name", "Harrow Youth Link"), ("charityNumber", "1129394"), ("contactName", "Sam Patel"), ("contactEmail", "sam@youthlink.example.org"));
        Assert.Equal((HttpStatusCode.Redirect, "/applicant?registered=true"), (registered.StatusCode, registered.Headers.Location?.OriginalString));
        var person = await PersonAsync(app, "applicant-kca");
        Assert.Equal("GB-CHC-1129394", person!.OrganisationId);
        Assert.Equal([Kca, "GB-CHC-1129394"], person.Memberships);

        var stale = await pages.SubmitToAsync("/organisation", $"/bids/start/{AppFactory.Fund}",
            ("attempt", attempt), ("organisationId", Kca), ("title", "Holiday activities"), ("summary", "Play schemes."),
            ("grantStart-day", "1"), ("grantStart-month", "4"), ("grantStart-year", "2027"), ("grantEnd-day", "31"), ("grantEnd-month", "3"), ("grantEnd-year", "2028"));
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        var refusal = await stale.Content.ReadAsStringAsync();
        Assert.Contains("You have changed the organisation you act for since this page was opened.", refusal, StringComparison.Ordinal);
        Assert.Contains("For Harrow Youth Link.", refusal, StringComparison.Ordinal);
        Assert.Empty(await app.Get<BidIndexProjection>().ListAsync(null, Kca, null, CancellationToken.None));
        Assert.Empty(await app.Get<BidIndexProjection>().ListAsync(null, "GB-CHC-1129394", null, CancellationToken.None));

        var again = await pages.SubmitAsync("/organisations/register",
            ("name", "Harrow Youth Link"), ("charityNumber", "1129394"), ("contactName", "Sam Patel"), ("contactEmail", "sam@youthlink.example.org"));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var byOther = await PagesFor(app, "applicant-other").SubmitAsync("/organisations/register",
            ("name", "Harrow Youth Link"), ("charityNumber", "1129394"), ("contactName", "Sam Patel"), ("contactEmail", "sam@youthlink.example.org"));
        Assert.Equal(HttpStatusCode.BadRequest, byOther.StatusCode);
        Assert.Contains("Ask the person who registered it to invite you.", await byOther.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal([Other], (await PersonAsync(app, "applicant-other"))!.Memberships);
    }

    [Fact]
    public async Task Signing_in_by_email_as_someone_with_two_organisations_asks_which_one_first()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        await app.Get<UserDirectory>().JoinAsync("applicant-kca", Other, actForIt: false, CancellationToken.None);
        var browser = app.ClientFor(null, followRedirects: false);

        await browser.SubmitAsync("/sign-in/email", ("email", "bids@kca.example.org"));
        var signedIn = await browser.SubmitAsync(await EmailSignInTests.LinkSentToAsync(app, "bids@kca.example.org"));
        Assert.Equal((HttpStatusCode.Redirect, "/organisations/choose"), (signedIn.StatusCode, signedIn.Headers.Location?.OriginalString));
        var chosen = await browser.SubmitAsync("/organisations/choose", ("organisationId", Other));
        Assert.Equal("/applicant", chosen.Headers.Location?.OriginalString);
        Assert.Contains("Another Organisation", await (await browser.GetAsync("/applicant")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

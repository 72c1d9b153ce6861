using System.Net;
using System.Text.RegularExpressions;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;
using static Partnership.Functions.Tests.Support.DecisionPrompts;

namespace Partnership.Functions.Tests;

public class DecisionLinkTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Opening_a_link_shows_the_bid_and_changes_nothing_and_only_the_form_post_decides_once()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var (bidId, links) = await AwaitingHceAsync(app);
        Assert.Equal(["hce", "hce-2"], links.Keys.Order());
        var anonymous = app.ClientFor(null);
        var before = (await StateAsync(app, bidId)).Version;

        for (var scan = 0; scan < 3; scan++)
        {
            var page = await anonymous.GetAsync(links["hce"]);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("Top Families Project", html, StringComparison.Ordinal);
            Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
            Assert.Contains("document.pdf", html, StringComparison.Ordinal);
        }

        Assert.Equal(before, (await StateAsync(app, bidId)).Version);
        var document = Regex.Match(await anonymous.GetStringAsync(links["hce"]), "href=\"(?<href>/decisions/[^\"]+/documents/[^\"]+)\"").Groups["href"].Value;
        Assert.Equal(Pdf, await anonymous.GetByteArrayAsync(document));

        var recorded = await anonymous.SubmitAsync(links["hce"], ("decision", "Approve"), ("revenue", "50,903.27"), ("capital", "0"), ("budgetLineId", AppFactory.Line), ("conditions", "Quarterly reports to HCE"));
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.Contains("Proposal put to HCE", await recorded.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var proposed = await StateAsync(app, bidId);
        Assert.Equal((BidStage.HceRecommendation, "hce", 50_903.27m), (proposed.Stage, proposed.PendingMotion!.ProposedBy, proposed.PendingMotion.Terms.Amount!.Total));

        var replayed = await anonymous.SubmitAsync(links["hce"], ("decision", "Reject"), ("reasons", "Changed my mind"));
        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        Assert.Contains("already been used", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(proposed.Version, (await StateAsync(app, bidId)).Version);

        // The other member's link, from the referral, now asks them to vote on the motion; agreeing carries it.
        var asked = System.Net.WebUtility.HtmlDecode(await anonymous.GetStringAsync(links["hce-2"]));
        Assert.Contains("HCE is asked to: Agree £50,903.27 from 2010-11-laa-reward-grant, on condition: Quarterly reports to HCE.", asked, StringComparison.Ordinal);
        var agreed = await anonymous.SubmitAsync(links["hce-2"], ("interest", "no"), ("vote", "Agrees"));
        Assert.Contains("Vote recorded", await agreed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var state = await StateAsync(app, bidId);
        Assert.Equal((BidStage.BoardApproval, "hce", 50_903.27m), (state.Stage, state.Recommendation!.By, state.Recommendation.Amount!.Total));
    }

    [Fact]
    public async Task Tampered_expired_and_misdirected_links_say_so_and_change_nothing()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var (bidId, links) = await AwaitingHceAsync(app);
        var link = links["hce"];
        var anonymous = app.ClientFor(null);
        var before = (await StateAsync(app, bidId)).Version;

        var dot = link.IndexOf('.', StringComparison.Ordinal);
        var signatureFlipped = link[..(dot + 1)] + (link[dot + 1] == 'A' ? 'B' : 'A') + link[(dot + 2)..];
        var payloadFlipped = link[..20] + (link[20] == 'A' ? 'B' : 'A') + link[21..];
        foreach (var tampered in new[] { signatureFlipped, payloadFlipped, link[..^3], "/decisions/nonsense" })
        {
            var response = await anonymous.SubmitToAsync(link, tampered, ("decision", "Reject"), ("reasons", "x"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("This link is not valid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var misdirected = await app.ClientFor("hce-2").GetAsync(link);
        Assert.Equal(HttpStatusCode.Forbidden, misdirected.StatusCode);
        Assert.Contains("sent to HCE member", await misdirected.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var unclear = await anonymous.SubmitAsync(link, ("decision", "Approve"), ("revenue", "lots"), ("capital", "0"));
        Assert.Equal(HttpStatusCode.BadRequest, unclear.StatusCode);
        var html = await unclear.Content.ReadAsStringAsync();
        Assert.Contains("There is a problem", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#revenue\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"lots\"", html, StringComparison.Ordinal);

        app.Clock.Advance(TimeSpan.FromDays(22));
        var expired = await anonymous.GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, (await StateAsync(app, bidId)).Version);
    }

    [Fact]
    public async Task Board_members_vote_from_their_own_links_and_the_second_agreement_carries_the_motion()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var (bidId, hceLinks) = await AwaitingHceAsync(app);
        var anonymous = app.ClientFor(null);
        await anonymous.SubmitAsync(hceLinks["hce"], ("decision", "Approve"), ("revenue", "50903.27"), ("capital", "0"), ("budgetLineId", AppFactory.Line)).Ok();
        await anonymous.SubmitAsync(hceLinks["hce-2"], ("interest", "no"), ("vote", "Agrees")).Ok();
        await DrainAsync(app);
        var boardLinks = await LinksAsync(app, bidId, "vote-prompt-board");
        Assert.Equal(["board", "board-chair"], boardLinks.Keys.Order());
        Assert.Contains("The Partnership Board is asked to: Agree £50,903.27 from 2010-11-laa-reward-grant.", System.Net.WebUtility.HtmlDecode(await anonymous.GetStringAsync(boardLinks["board-chair"])), StringComparison.Ordinal);

        var noReason = await anonymous.SubmitAsync(boardLinks["board-chair"], ("interest", "no"), ("vote", "Objects"));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("Give the reason for your objection", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await anonymous.SubmitAsync(boardLinks["board-chair"], ("interest", "no"), ("vote", "Agrees")).Ok();
        Assert.Equal(BidStage.BoardApproval, (await StateAsync(app, bidId)).Stage);
        await anonymous.SubmitAsync(boardLinks["board"], ("interest", "no"), ("vote", "Agrees")).Ok();
        Assert.Equal(BidStage.Contracting, (await StateAsync(app, bidId)).Stage);
    }
}

public class DevelopmentOutboxTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_development_outbox_shows_each_rendered_email_with_its_working_decision_link()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
        await DrainAsync(app);

        var page = await app.ClientFor(null).GetStringAsync($"/dev/outbox?bidId={bidId}");
        Assert.Contains("HCE recommendation needed: Top Families Project", page, StringComparison.Ordinal);
        Assert.Contains("<iframe title=\"The email as sent\"", page, StringComparison.Ordinal);
        var link = System.Text.RegularExpressions.Regex.Match(page, "http://localhost(?<path>/decisions/[A-Za-z0-9_.-]+)").Groups["path"].Value;
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.ClientFor(null).GetAsync(link)).StatusCode);
    }
}

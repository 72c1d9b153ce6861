using System.Net.Http.Json;
using System.Text.Json;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;
using static Partnership.Functions.Tests.Support.SendGridStub;

namespace Partnership.Functions.Tests;

public class EmailTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Prompts_go_through_the_sendgrid_client_with_both_parts_custom_args_and_each_approvers_own_link()
    {
        await using var stub = await StubServer.StartAsync();
        await using var app = WithSendGrid(azurite, stub);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
        await DrainAsync(app);

        var prompts = stub.Requests.Where(r => Subject(r) == "HCE recommendation needed: Top Families Project").ToList();
        Assert.Equal(["hce2@example.org", "hce@example.org"], prompts.Select(p => Recipient(p)).Order(StringComparer.Ordinal));
        var prompt = To(stub, "hce@example.org").Single(p => Subject(p).StartsWith("HCE", StringComparison.Ordinal));
        Assert.Equal(("POST", "/v3/mail/send", "Bearer SG.test-key"), (prompt.Method, prompt.Path, prompt.Headers["Authorization"]));
        Assert.Equal("grants@harrow-partnership.example.org", prompt.Body.GetProperty("from").GetProperty("email").GetString());
        var content = prompt.Body.GetProperty("content").EnumerateArray().ToDictionary(c => c.GetProperty("type").GetString()!, c => c.GetProperty("value").GetString()!);
        Assert.Contains("Dear HCE member,", content["text/plain"], StringComparison.Ordinal);
        Assert.Contains("Read the bid and decide: http://localhost/decisions/", content["text/plain"], StringComparison.Ordinal);
        Assert.Contains("<a href=\"http://localhost/decisions/", content["text/html"], StringComparison.Ordinal);
        var args = prompt.Body.GetProperty("personalizations")[0].GetProperty("custom_args");
        Assert.Equal(bidId, args.GetProperty("bid_id").GetString());
        Assert.StartsWith("fx-", args.GetProperty("effect_id").GetString(), StringComparison.Ordinal);
        var otherLink = Text(To(stub, "hce2@example.org").Single(p => Subject(p).StartsWith("HCE", StringComparison.Ordinal)));
        Assert.DoesNotContain(content["text/plain"].Split("decisions/")[1][..40], otherLink, StringComparison.Ordinal);

        var logged = await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None);
        Assert.All(logged, m => Assert.Equal(("email", "Sent"), (m.Channel, m.Status)));
        Assert.All(logged, m => Assert.StartsWith("msg-", m.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_without_sending_anyone_twice()
    {
        await using var stub = await StubServer.StartAsync();
        await using var app = WithSendGrid(azurite, stub);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        await DrainAsync(app);
        var before = stub.Requests.Count;

        stub.AnswerNext(202, 429, 500);
        await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
        await DrainAsync(app);

        var attempts = stub.Requests.Skip(before).GroupBy(r => Recipient(r)).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["hce@example.org"] = 1, ["hce2@example.org"] = 3 }, attempts);
        var effect = (await app.Get<BidRepository>().OutboxAsync(bidId, CancellationToken.None)).Single(e => e.Effect is Notify { Template: "decision-prompt-hce" });
        Assert.Equal((true, 3), (effect.DoneAt is not null, effect.Attempts));
    }

    [Fact]
    public async Task A_refused_message_is_not_retried_and_the_coordinator_sees_why()
    {
        await using var stub = await StubServer.StartAsync();
        await using var app = WithSendGrid(azurite, stub);
        await app.SeedAsync();
        var applicant = app.ClientFor("applicant-kca");
        var bidId = await StartAsync(applicant);
        await UploadOkAsync(applicant, bidId, "BusinessCase");
        await DrainAsync(app);
        var before = stub.Requests.Count;

        stub.AnswerNext(400);
        await applicant.CommandAsync($"/api/bids/{bidId}/submit").Ok();
        await DrainAsync(app);

        var received = (await app.Get<BidRepository>().OutboxAsync(bidId, CancellationToken.None)).Single(e => e.Effect is Notify { Template: "bid-received" });
        Assert.Null(received.DoneAt);
        Assert.NotNull(received.FailedAt);
        Assert.Contains("SendGrid refused the message (400)", received.LastError, StringComparison.Ordinal);
        Assert.Single(stub.Requests.Skip(before), r => Subject(r).StartsWith("We have received", StringComparison.Ordinal));

        var detail = await DetailAsync(app.ClientFor("coordinator"), bidId);
        var shown = detail.GetProperty("effects").EnumerateArray().Single(e => e.GetProperty("effectId").GetString() == received.EffectId);
        Assert.NotEqual(JsonValueKind.Null, shown.GetProperty("failedAt").ValueKind);
        Assert.Contains(await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None), m => m.Template == "bid-received" && m.Status == "Failed");
    }

    [Fact]
    public async Task Every_template_renders_and_bid_text_is_encoded_in_html_only()
    {
        var renderer = new MessageRenderer();
        var bid = new BidState
        {
            BidId = "b1", FundId = "f", OrganisationId = "o", ApplicantUserId = "a", DefinitionVersion = 2, CreatedAt = AppFactory.Start,
            Proposal = new BidProposal("<script>alert(1)</script> & Co", "s", new Funding(15_000m, 0m), new DateOnly(2027, 1, 1), new DateOnly(2027, 12, 31)),
        };
        Assert.True(renderer.Templates.Count >= 37);
        foreach (var template in renderer.Templates)
        {
            var rendered = await renderer.RenderAsync(template, MessageRenderer.Model(bid, "Kids Can Achieve", "Pat", new Notify(Audience.Applicant, template, AppFactory.Start), null, "http://localhost"));
            Assert.False(string.IsNullOrWhiteSpace(rendered.Subject), template);
            Assert.DoesNotContain("<script>", rendered.Html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;", rendered.Html, StringComparison.Ordinal);
            Assert.Contains("Due by 9:00 am on Monday 23 November 2026.", rendered.Text, StringComparison.Ordinal);
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => renderer.RenderAsync("no-such-template", MessageRenderer.Model(bid, "o", "Pat", new Notify(Audience.Applicant, "x"), null, "http://localhost")));
    }
}

using System.Net;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

public class InboundReplyTests(AzuriteFixture azurite)
{
    private static AppFactory App(AzuriteFixture azurite) => new(azurite, settings: new Dictionary<string, string> { ["Email:InboundSecret"] = "s3cret" });

    private static async Task<(string BidId, Dictionary<string, string> ReplyTo)> PromptedAsync(AppFactory app, string template = "decision-prompt-hce", string? bidId = null)
    {
        if (bidId is null)
        {
            bidId = await SubmittedAsync(app);
            await app.ClientFor("coordinator").CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
        }

        await DrainAsync(app);
        var prompts = (await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None)).Where(m => m.Template == template).ToDictionary(m => m.To, m => m.ReplyTo!);
        return (bidId, prompts);
    }

    /// <summary>What SendGrid Inbound Parse posts: a multipart form with the envelope, headers and the text part.</summary>
    private static async Task<HttpResponseMessage> ReplyAsync(AppFactory app, string from, string to, string text, string secret = "s3cret", string spf = "pass", string dkim = "none")
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(spf), "SPF" },
            { new StringContent(dkim), "dkim" },
            { new StringContent($"HCE member <{from}>"), "from" },
            { new StringContent(to), "to" },
            { new StringContent("Re: HCE recommendation needed"), "subject" },
            { new StringContent(text), "text" },
            { new StringContent($$"""{"to":["{{to}}"],"from":"{{from}}"}"""), "envelope" },
        };
        return await app.CreateClient().PostAsync($"/webhooks/sendgrid/inbound/{secret}", form);
    }

    private static async Task<string> AnswerToAsync(AppFactory app, string email) =>
        (await app.Get<MessageLog>().ListAsync("", CancellationToken.None)).Where(m => m.Template == "reply" && m.To == email).Select(m => $"{m.Subject}\n{m.Body}").First();

    [Fact]
    public async Task An_approver_decides_by_replying_and_the_reply_address_works_once()
    {
        await using var app = App(azurite);
        await app.SeedAsync();
        var (bidId, replyTo) = await PromptedAsync(app);
        Assert.Matches("^decide-[0-9a-f]{36}@replies.partnership.example.org$", replyTo["hce"]);
        Assert.NotEqual(replyTo["hce"], replyTo["hce-2"]);

        var response = await ReplyAsync(app, "hce@example.org", replyTo["hce"], "APPROVE £50,903.27 Quarterly reports to HCE\n\nOn Mon, Partnership Funds wrote:\n> HCE recommendation needed");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var state = await StateAsync(app, bidId);
        Assert.Equal((BidStage.BoardApproval, 50_903.27m, "Quarterly reports to HCE", "hce"), (state.Stage, state.Recommendation!.Amount!.Total, state.Recommendation.Conditions, state.Recommendation.By));
        Assert.StartsWith("Recorded: your decision", await AnswerToAsync(app, "hce@example.org"), StringComparison.Ordinal);

        await ReplyAsync(app, "hce@example.org", replyTo["hce"], "REJECT changed my mind");
        Assert.Contains((await app.Get<MessageLog>().ListAsync("", CancellationToken.None)).Where(m => m.To == "hce@example.org"), m => m.Subject.StartsWith("Already recorded", StringComparison.Ordinal));
        Assert.Equal(state.Version, (await StateAsync(app, bidId)).Version);

        var (_, boardReplyTo) = await PromptedAsync(app, "decision-prompt-board", bidId);
        await ReplyAsync(app, "chair@example.org", boardReplyTo["board-chair"], $"approve {AppFactory.Line} spend on evaluation first");
        var approved = await StateAsync(app, bidId);
        Assert.Equal((BidStage.Contracting, AppFactory.Line, "spend on evaluation first"), (approved.Stage, approved.BudgetLineId, approved.BoardConditions));
    }

    [Theory]
    [InlineData("DEFER 14 December 2026 awaiting the project plan", BidStage.HceRecommendation, "awaiting the project plan")]
    [InlineData("Reject: outside the partnership priorities", BidStage.Rejected, "outside the partnership priorities")]
    [InlineData("APPROVE", BidStage.BoardApproval, null)]
    public async Task Each_accepted_form_of_reply_is_recorded(string reply, BidStage stage, string? reason)
    {
        await using var app = App(azurite);
        await app.SeedAsync();
        var (bidId, replyTo) = await PromptedAsync(app);
        await ReplyAsync(app, "hce2@example.org", replyTo["hce-2"], reply);
        var state = await StateAsync(app, bidId);
        Assert.Equal(stage, state.Stage);
        Assert.Equal(reason, state.Recommendation!.Reasons);
        if (stage == BidStage.BoardApproval)
        {
            Assert.Equal(55_000m, state.Recommendation.Amount!.Total);
        }
        else if (stage == BidStage.HceRecommendation)
        {
            Assert.Equal(new DateOnly(2026, 12, 14), state.Recommendation.DeferredUntil);
        }
    }

    [Fact]
    public async Task Unclear_misdirected_and_forged_replies_get_an_explanation_and_change_nothing()
    {
        await using var app = App(azurite);
        await app.SeedAsync();
        var (bidId, replyTo) = await PromptedAsync(app);
        var before = (await StateAsync(app, bidId)).Version;

        await ReplyAsync(app, "hce2@example.org", replyTo["hce-2"], "Yes, looks good to me");
        Assert.Contains("APPROVE 50903.27 conditions", await AnswerToAsync(app, "hce2@example.org"), StringComparison.Ordinal);

        await ReplyAsync(app, "hce2@example.org", replyTo["hce"], "APPROVE");
        Assert.Contains((await app.Get<MessageLog>().ListAsync("", CancellationToken.None)).Where(m => m.To == "hce2@example.org"), m => m.Body.Contains("belongs to another approver", StringComparison.Ordinal));

        var forged = replyTo["hce"][..20] + (replyTo["hce"][20] == 'a' ? 'b' : 'a') + replyTo["hce"][21..];
        await ReplyAsync(app, "hce@example.org", forged, "APPROVE");
        Assert.StartsWith("We could not match your reply", await AnswerToAsync(app, "hce@example.org"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await ReplyAsync(app, "hce@example.org", replyTo["hce"], "APPROVE", secret: "guess")).StatusCode);
        Assert.Equal(before, (await StateAsync(app, bidId)).Version);
    }
}

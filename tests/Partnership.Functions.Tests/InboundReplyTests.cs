using System.Net;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using System.Net.Http.Json;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Decisions;
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
    public async Task Members_propose_and_vote_by_replying_and_each_reply_address_works_once()
    {
        await using var app = App(azurite);
        await app.SeedAsync();
        var (bidId, replyTo) = await PromptedAsync(app);
        Assert.Matches("^decide-[0-9a-f]{36}@replies.partnership.example.org$", replyTo["hce"]);
        Assert.NotEqual(replyTo["hce"], replyTo["hce-2"]);

        var response = await ReplyAsync(app, "hce@example.org", replyTo["hce"], $"APPROVE £50,903.27 {AppFactory.Line} Quarterly reports to HCE\n\nOn Mon, Partnership Funds wrote:\n> HCE recommendation needed");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var proposed = await StateAsync(app, bidId);
        Assert.Equal((BidStage.HceRecommendation, 50_903.27m, "Quarterly reports to HCE", "hce"), (proposed.Stage, proposed.PendingMotion!.Terms.Amount!.Total, proposed.PendingMotion.Terms.Text, proposed.PendingMotion.ProposedBy));
        Assert.StartsWith("Recorded: your decision", await AnswerToAsync(app, "hce@example.org"), StringComparison.Ordinal);

        await ReplyAsync(app, "hce@example.org", replyTo["hce"], "REJECT changed my mind");
        Assert.Contains((await app.Get<MessageLog>().ListAsync("", CancellationToken.None)).Where(m => m.To == "hce@example.org"), m => m.Subject.StartsWith("Already recorded", StringComparison.Ordinal));
        Assert.Equal(proposed.Version, (await StateAsync(app, bidId)).Version);

        var (_, voteReplyTo) = await PromptedAsync(app, "vote-prompt-hce", bidId);
        Assert.Equal(["hce-2"], voteReplyTo.Keys);
        await ReplyAsync(app, "hce2@example.org", voteReplyTo["hce-2"], "Agree");
        var recommended = await StateAsync(app, bidId);
        Assert.Equal((BidStage.BoardApproval, 50_903.27m, "hce"), (recommended.Stage, recommended.Recommendation!.Amount!.Total, recommended.Recommendation.By));

        var (_, boardReplyTo) = await PromptedAsync(app, "vote-prompt-board", bidId);
        await ReplyAsync(app, "chair@example.org", boardReplyTo["board-chair"], "AGREE");
        Assert.Equal(BidStage.BoardApproval, (await StateAsync(app, bidId)).Stage);
        await ReplyAsync(app, "board@example.org", boardReplyTo["board"], "agree, a good project");
        var approved = await StateAsync(app, bidId);
        Assert.Equal((BidStage.Contracting, AppFactory.Line), (approved.Stage, approved.BudgetLineId));
    }

    [Theory]
    [InlineData("DEFER 14 December 2026 awaiting the project plan", RecommendationKind.Defer, "awaiting the project plan")]
    [InlineData("Reject: outside the partnership priorities", RecommendationKind.Reject, "outside the partnership priorities")]
    [InlineData("APPROVE 2010-11-laa-reward-grant", RecommendationKind.Approve, null)]
    public async Task Each_accepted_form_of_proposal_is_put_to_hce(string reply, RecommendationKind decision, string? reason)
    {
        await using var app = App(azurite);
        await app.SeedAsync();
        var (bidId, replyTo) = await PromptedAsync(app);
        await ReplyAsync(app, "hce2@example.org", replyTo["hce-2"], reply);
        var motion = (await StateAsync(app, bidId)).PendingMotion!;
        Assert.Equal((decision, reason, "hce-2"), (motion.Terms.Decision, motion.Terms.Text, motion.ProposedBy));
        Assert.Equal(decision == RecommendationKind.Approve ? 55_000m : null, motion.Terms.Amount?.Total);
        Assert.Equal(decision == RecommendationKind.Defer ? new DateOnly(2026, 12, 14) : null, motion.Terms.DeferTo);
    }

    [Theory]
    [InlineData("OBJECT: the costs are not broken down", VoteChoice.Objects, "the costs are not broken down", MotionStatus.ToMeeting)]
    [InlineData("abstain", VoteChoice.Abstains, null, MotionStatus.Open)]
    [InlineData("INTEREST my sister is its treasurer", null, null, MotionStatus.ToMeeting)]
    public async Task Each_accepted_form_of_vote_is_recorded(string reply, VoteChoice? choice, string? reason, MotionStatus status)
    {
        await using var app = App(azurite);
        await app.SeedAsync();
        var (bidId, _) = await PromptedAsync(app);
        await app.ClientFor("hce").CommandAsync($"/api/bids/{bidId}/hce-recommendation", new { decision = "Approve", revenue = 40_000m, capital = 0m, budgetLineId = AppFactory.Line }).Ok();
        var (_, replyTo) = await PromptedAsync(app, "vote-prompt-hce", bidId);

        await ReplyAsync(app, "hce2@example.org", replyTo["hce-2"], reply);
        var motion = (await StateAsync(app, bidId)).PendingMotion!;
        Assert.Equal(status, motion.Status);
        Assert.Equal(choice is { } chosen ? new Partnership.Workflows.Decisions.Vote(chosen, reason, motion.Votes["hce-2"].At) : null, motion.Votes.GetValueOrDefault("hce-2"));
        Assert.Equal(choice is null ? "my sister is its treasurer" : null, motion.Interests.GetValueOrDefault("hce-2"));
    }

    [Fact]
    public async Task A_member_who_registers_an_interest_after_being_asked_cannot_vote_by_reply_or_link_and_nothing_changes()
    {
        await using var app = App(azurite);
        await app.SeedAsync();
        var bidId = await PlantedBids.AwaitingBoardAsync(app, new Partnership.Workflows.Funding(30_000m, 0m), "Youth Mentoring");
        await app.ClientFor("board").PostAsJsonAsync("/api/members/me/interests", new { organisationId = AppFactory.Organisation, organisationName = "Kids Can Achieve", nature = "Trustee", from = "2026-01-01" });
        var before = await StateAsync(app, bidId);
        var link = app.Get<Partnership.Functions.Decisions.DecisionLinks>().Create(before, "board");
        var address = await app.Get<Partnership.Functions.Decisions.ReplyAddresses>().CreateAsync(before, "board", CancellationToken.None);

        await ReplyAsync(app, "board@example.org", address, "AGREE");
        Assert.Contains("interest in the applicant on your register (Trustee)", await AnswerToAsync(app, "board@example.org"), StringComparison.Ordinal);

        var page = await app.ClientFor(null).SubmitAsync($"/decisions/{link}", ("interest", "no"), ("vote", "Agrees"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains("interest in the applicant on your register (Trustee)", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var vote = await app.ClientFor("board").CommandAsync($"/api/bids/{bidId}/votes", new { motionId = "board-1", vote = "Agrees" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, vote.StatusCode);
        Assert.Equal(before.Version, (await StateAsync(app, bidId)).Version);
        Assert.Empty((await StateAsync(app, bidId)).PendingMotion!.Votes);
    }

    [Fact]
    public async Task Unclear_misdirected_and_forged_replies_get_an_explanation_and_change_nothing()
    {
        await using var app = App(azurite);
        await app.SeedAsync();
        var (bidId, replyTo) = await PromptedAsync(app);
        var before = (await StateAsync(app, bidId)).Version;

        await ReplyAsync(app, "hce2@example.org", replyTo["hce-2"], "Yes, looks good to me");
        Assert.Contains("APPROVE 50903.27 budget-line-id conditions", await AnswerToAsync(app, "hce2@example.org"), StringComparison.Ordinal);

        await ReplyAsync(app, "hce2@example.org", replyTo["hce"], "APPROVE");
        Assert.Contains((await app.Get<MessageLog>().ListAsync("", CancellationToken.None)).Where(m => m.To == "hce2@example.org"), m => m.Body.Contains("belongs to another approver", StringComparison.Ordinal));

        var forged = replyTo["hce"][..20] + (replyTo["hce"][20] == 'a' ? 'b' : 'a') + replyTo["hce"][21..];
        await ReplyAsync(app, "hce@example.org", forged, "APPROVE");
        Assert.StartsWith("We could not match your reply", await AnswerToAsync(app, "hce@example.org"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await ReplyAsync(app, "hce@example.org", replyTo["hce"], "APPROVE", secret: "guess")).StatusCode);
        Assert.Equal(before, (await StateAsync(app, bidId)).Version);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Partnership.Functions.Notifications;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows.Bids;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

public class BidLifecycleTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_bid_goes_through_every_stage_to_closed_over_http_with_its_timers_firing()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var applicant = app.ClientFor("applicant-kca");
        var coordinator = app.ClientFor("coordinator");
        var hce = app.ClientFor("hce");
        var finance = app.ClientFor("finance");

        var bidId = await StartAsync(applicant);
        await UploadOkAsync(applicant, bidId, "BusinessCase", fileName: "business-case.pdf");
        await applicant.CommandAsync($"/api/bids/{bidId}/submit").Ok();
        await coordinator.CommandAsync($"/api/bids/{bidId}/changes-requested", new { reason = "Break the budget down by quarter." }).Ok();
        await applicant.CommandAsync($"/api/bids/{bidId}/proposal", ProposalBody(revenue: 54_000m), method: HttpMethod.Put).Ok();
        await applicant.CommandAsync($"/api/bids/{bidId}/resubmit").Ok();
        await coordinator.CommandAsync($"/api/bids/{bidId}/hce-referral").Ok();
        await DrainAsync(app);

        await HceRecommendsAsync(app, bidId, new { decision = "Defer", deferUntil = "2026-12-14", reasons = "Awaiting the project plan." });
        var woken = await AdvanceAndFireAsync(app, TimeSpan.FromDays(21));
        Assert.Equal(1, woken);
        Assert.NotNull((await StateAsync(app, bidId)).DecisionDueAt);

        var deferredVersion = (await StateAsync(app, bidId)).Version;
        var unknownLine = await hce.CommandAsync($"/api/bids/{bidId}/hce-recommendation", new { decision = "Approve", revenue = 50_903.27m, capital = 0m, budgetLineId = "no-such-line" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownLine.StatusCode);
        Assert.Contains("no budget line 'no-such-line'", (await unknownLine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(deferredVersion, (await StateAsync(app, bidId)).Version);

        await HceRecommendsAsync(app, bidId, new { decision = "Approve", revenue = 50_903.27m, capital = 0m, conditions = "Quarterly reports to HCE.", budgetLineId = AppFactory.Line });
        Assert.Equal(AppFactory.Line, (await StateAsync(app, bidId)).Recommendation!.BudgetLineId);
        await BoardAgreesAsync(app, bidId);
        await DrainAsync(app);
        var approved = await StateAsync(app, bidId);
        Assert.Equal(BidStage.Contracting, approved.Stage);
        Assert.Equal(50_903.27m, approved.ApprovedAmount!.Total);
        Assert.Contains(approved.Documents, d => d.Kind == DocumentKind.GrantAgreement);

        await coordinator.CommandAsync($"/api/bids/{bidId}/contract/sent").Ok();
        var reminded = await AdvanceAndFireAsync(app, TimeSpan.FromDays(27));
        Assert.Equal(1, reminded);
        var signed = await UploadOkAsync(applicant, bidId, "SignedContract", fileName: "signed.pdf");
        await applicant.CommandAsync($"/api/bids/{bidId}/contract/signed", new { documentId = signed }).Ok();
        await coordinator.CommandAsync($"/api/bids/{bidId}/contract/accepted").Ok();
        await finance.CommandAsync($"/api/bids/{bidId}/purchase-order", new { number = "PO-4471", date = "2027-01-04", supplierReference = "KCA-01" }).Ok();
        Assert.Equal(BidStage.Monitoring, (await StateAsync(app, bidId)).Stage);

        foreach (var (quarter, ends) in new[] { ("2026q4", new DateTime(2027, 3, 31)), ("2027q1", new DateTime(2027, 6, 30)), ("2027q2", new DateTime(2027, 9, 30)), ("2027q3", new DateTime(2027, 12, 31)) })
        {
            app.Clock.SetUtcNow(new DateTimeOffset(ends.AddDays(1).AddHours(12), TimeSpan.Zero));
            await FireDueAsync(app);
            await applicant.CommandAsync($"/api/bids/{bidId}/returns/{quarter}", new { actualSpend = new { revenue = 12_000m, capital = 0m }, narrative = $"Progress in {quarter}." }).Ok();
            await coordinator.CommandAsync($"/api/bids/{bidId}/returns/{quarter}/acceptance").Ok();
        }

        await DrainAsync(app);
        Assert.Equal(BidStage.Closing, (await StateAsync(app, bidId)).Stage);
        var closed = await (await coordinator.CommandAsync($"/api/bids/{bidId}/closure").Ok()).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Closed", closed.GetProperty("stage").GetString());
        await DrainAsync(app);

        var detail = await DetailAsync(coordinator, bidId);
        var events = detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(
            ["BidStarted", "DocumentAttached", "BidSubmitted", "ChangesWereRequested", "DraftEdited", "BidResubmitted", "ReferredToHce",
             "MotionPut", "VoteRecorded", "VoteRecorded", "MotionCarried", "HceDeferred", "DeferralEnded",
             "MotionPut", "VoteRecorded", "VoteRecorded", "MotionCarried", "HceRecommendedApproval", "MotionPut", "VoteRecorded", "VoteRecorded", "MotionCarried", "BoardApproved", "DocumentAttached", "ContractSent", "ReminderSent", "DocumentAttached", "SignedContractReturned",
             "SignedContractAccepted", "InstalmentsScheduled", "PurchaseOrderRecorded", "ReturnsScheduled",
             "ReturnSubmitted", "ReturnAccepted", "InstalmentReleased", "ReturnSubmitted", "ReturnAccepted", "InstalmentReleased", "ReturnSubmitted", "ReturnAccepted", "InstalmentReleased",
             "ClosingStarted", "ReturnSubmitted", "ReturnAccepted", "UnspentReturned", "BidClosed"],
            events.Where(e => e is not ("DecisionEscalated" or "ReturnReminderSent" or "ReturnEscalated")));
        Assert.All(detail.GetProperty("effects").EnumerateArray(), e => Assert.NotEqual(JsonValueKind.Null, e.GetProperty("doneAt").ValueKind));

        var templates = (await app.Get<MessageLog>().ListAsync(bidId, CancellationToken.None)).Select(m => (m.Template, m.To)).ToHashSet();
        Assert.Contains(("bid-received", "applicant-kca"), templates);
        Assert.Contains(("decision-prompt-hce", "hce-2"), templates);
        Assert.Contains(("vote-prompt-hce", "hce-2"), templates);
        Assert.Contains(("vote-prompt-board", "board-chair"), templates);
        Assert.Contains(("decision-reminder", "applicant-kca"), templates);
        Assert.Contains(("purchase-order-needed", "finance"), templates);
        Assert.Contains(("bid-closed", "applicant-kca"), templates);
    }

    [Fact]
    public async Task Refusals_are_problem_details_and_change_nothing()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        var before = await StateAsync(app, bidId);

        var wrongStage = await app.ClientFor("applicant-kca").CommandAsync($"/api/bids/{bidId}/submit");
        Assert.Equal(HttpStatusCode.Conflict, wrongStage.StatusCode);
        Assert.Equal("application/problem+json", wrongStage.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Screening", (await wrongStage.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var missing = await app.ClientFor("hce").CommandAsync($"/api/bids/{bidId}/hce-recommendation", new { decision = "Approve", budgetLineId = AppFactory.Line });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var errors = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("Revenue", out _));

        var noKey = await app.ClientFor("coordinator").PostAsJsonAsync($"/api/bids/{bidId}/hce-referral", new { });
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.True((await noKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));

        var otherOrganisation = await app.ClientFor("applicant-other").CommandAsync($"/api/bids/{bidId}/withdrawal", new { reason = "Not ours" });
        Assert.Equal(HttpStatusCode.NotFound, otherOrganisation.StatusCode);
        Assert.DoesNotContain("Screening", await otherOrganisation.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var after = await StateAsync(app, bidId);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(BidStage.Screening, after.Stage);
    }

    [Fact]
    public async Task Applicants_see_only_their_own_organisations_bids()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);

        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientFor("applicant-other").GetAsync($"/api/bids/{bidId}")).StatusCode);
        var theirs = await app.ClientFor("applicant-other").GetFromJsonAsync<JsonElement>("/api/bids");
        Assert.Equal(0, theirs.GetArrayLength());
        var mine = await app.ClientFor("applicant-kca").GetFromJsonAsync<JsonElement>("/api/bids?organisationId=other-org");
        Assert.Equal(bidId, Assert.Single(mine.EnumerateArray()).GetProperty("bidId").GetString());
        var screening = await app.ClientFor("auditor").GetFromJsonAsync<JsonElement>("/api/bids?stage=Screening&fundId=partnership-fund");
        Assert.Equal(1, screening.GetArrayLength());
        var detail = await DetailAsync(app.ClientFor("applicant-kca"), bidId);
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("effects").ValueKind);
        var badStage = await app.ClientFor("coordinator").GetAsync("/api/bids?stage=Nowhere");
        Assert.Equal(HttpStatusCode.BadRequest, badStage.StatusCode);
    }
}

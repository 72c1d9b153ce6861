using Partnership.Workflows.Bids;
using static Partnership.Workflows.Tests.TestBids;

namespace Partnership.Workflows.Tests;

public class GuardTests
{
    [Fact]
    public void A_bid_cannot_be_submitted_without_a_business_case()
    {
        var bid = Draft() with { Documents = [] };
        var refused = Workflow.Decide(bid, new Submit(Applicant), Now).Refuse();
        Assert.Equal(RefusalKind.Invalid, refused.Kind);
        Assert.Contains("business case", refused.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("100.001", "0", "whole pence")]
    [InlineData("-5", "0", "negative")]
    [InlineData("0", "0", "more than £0.00")]
    public void Amounts_must_be_whole_pence_and_positive(string revenue, string capital, string expected)
    {
        var proposal = Proposal with { Requested = new Funding(decimal.Parse(revenue, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(capital, System.Globalization.CultureInfo.InvariantCulture)) };
        var refused = Workflow.Decide(Draft(), new EditDraft(Applicant, proposal), Now).Refuse();
        Assert.Contains(expected, refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_grant_period_must_end_after_it_starts()
    {
        var proposal = Proposal with { GrantEnd = Proposal.GrantStart };
        Assert.Contains("end after it starts", Workflow.Decide(Draft(), new EditDraft(Applicant, proposal), Now).Refuse().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Sending_back_for_changes_needs_a_reason()
    {
        var refused = Workflow.Decide(In(BidStage.Screening), new RequestChanges(Coordinator, "  "), Now).Refuse();
        Assert.Equal(RefusalKind.Invalid, refused.Kind);
    }

    [Fact]
    public void Hce_may_recommend_a_different_amount_from_the_one_requested_and_the_board_approves_that_amount()
    {
        var recommended = Workflow.Decide(In(BidStage.HceRecommendation), new RecommendApproval(Hce, new Funding(50_903.27m, 0m), "Quarterly reports to HCE"), Now).Accept();
        Assert.Equal(55_000m, recommended.State.Proposal.Requested.Total);
        var approved = Workflow.Decide(recommended.State, new ApproveRecommendation(Board, "2010-11-laa-reward-grant", "Spend on evaluation first"), Now).Accept();
        Assert.Equal(new Funding(50_903.27m, 0m), approved.State.ApprovedAmount);
        Assert.Equal("Quarterly reports to HCE", approved.State.Recommendation!.Conditions);
        Assert.Equal("Spend on evaluation first", approved.State.BoardConditions);
        Assert.Contains(approved.Effects, e => e is MakeDocument { Kind: DocumentKind.GrantAgreement });
        Assert.Equal([new BudgetMove("2010-11-laa-reward-grant", new Funding(50_903.27m, 0m))], approved.Moves);
        Assert.Equal([new LedgerEntry("2010-11-laa-reward-grant", approved.State.Version, new Funding(50_903.27m, 0m))], approved.State.Ledger);
        Assert.Equal("2010-11-laa-reward-grant", approved.State.BudgetLineId);
    }

    [Fact]
    public void Hce_rejection_ends_the_bid_with_the_reasons()
    {
        var rejected = Workflow.Decide(In(BidStage.HceRecommendation), new RecommendRejection(Hce, "Outside the priorities."), Now).Accept();
        Assert.Equal(BidStage.Rejected, rejected.State.Stage);
        Assert.Equal("Outside the priorities.", rejected.State.OutcomeReason);
        Assert.Contains(rejected.Effects, e => e is Notify { To: Audience.Applicant, Template: "bid-rejected" });
    }

    [Fact]
    public void A_deferral_must_be_to_a_later_day()
    {
        var refused = Workflow.Decide(In(BidStage.HceRecommendation), new DeferDecision(Hce, new DateOnly(2026, 11, 23), "Later"), Now).Refuse();
        Assert.Contains("after today", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_purchase_order_cannot_be_dated_in_the_future()
    {
        var refused = Workflow.Decide(In(BidStage.PurchaseOrder), new RecordPurchaseOrder(Finance, "PO1", new DateOnly(2026, 11, 24), "SUP"), Now).Refuse();
        Assert.Contains("future", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_contract_can_be_sent_once()
    {
        var refused = Workflow.Decide(In(BidStage.Contracting), new SendContract(Coordinator), Now).Refuse();
        Assert.Contains("already been sent", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_signed_contract_document_can_be_returned_as_the_signed_contract()
    {
        var refused = Workflow.Decide(In(BidStage.Contracting), new ReturnSignedContract(Applicant, "doc-business-case"), Now).Refuse();
        Assert.Contains("SignedContract", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_signed_contract_cannot_be_accepted_before_it_is_returned()
    {
        var refused = Workflow.Decide(In(BidStage.Contracting), new AcceptSignedContract(Coordinator), Now).Refuse();
        Assert.Contains("No signed contract", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Once_the_signed_contract_is_returned_the_applicant_can_no_longer_withdraw()
    {
        var returned = Workflow.Decide(In(BidStage.Contracting), new ReturnSignedContract(Applicant, "doc-signed"), Now).Accept();
        var refused = Workflow.Decide(returned.State, new Withdraw(Applicant, "Changed our mind"), Now).Refuse();
        Assert.Contains("can no longer be withdrawn", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_upload_must_be_the_next_version_and_keep_its_kind()
    {
        var bid = Draft();
        var skipped = Workflow.Decide(bid, new AttachDocument(Applicant, Document("doc-business-case", DocumentKind.BusinessCase, version: 3)), Now).Refuse();
        Assert.Contains("next version of the document is 2", skipped.Reason, StringComparison.Ordinal);
        var changedKind = Workflow.Decide(bid, new AttachDocument(Applicant, Document("doc-business-case", DocumentKind.Budget, version: 2)), Now).Refuse();
        Assert.Contains("cannot change it", changedKind.Reason, StringComparison.Ordinal);
        var next = Workflow.Decide(bid, new AttachDocument(Applicant, Document("doc-business-case", DocumentKind.BusinessCase, version: 2)), Now).Accept();
        Assert.Equal(2, next.State.LatestVersionOf("doc-business-case")!.Version);
        Assert.Equal(2, next.State.Documents.Count);
    }

    [Fact]
    public void Only_applicants_of_the_organisation_can_start_a_bid_for_it()
    {
        Assert.Equal(RefusalKind.Forbidden, BidWorkflow.Start(new StartBid(Coordinator, "b2", "fund", Organisation, Proposal), Now).Refuse().Kind);
        Assert.Equal(RefusalKind.Forbidden, BidWorkflow.Start(new StartBid(OtherApplicant, "b2", "fund", Organisation, Proposal), Now).Refuse().Kind);
        var started = BidWorkflow.Start(new StartBid(Applicant, "b2", "fund", Organisation, Proposal), Now).Accept();
        Assert.Equal(BidStage.Draft, started.State.Stage);
        var created = Assert.IsType<BidStarted>(Assert.Single(started.Events));
        Assert.Equal((Now, Applicant.UserId), (created.At, created.By));
    }

    [Fact]
    public void Events_are_stamped_with_when_and_by_whom()
    {
        var submitted = Workflow.Decide(Draft(), new Submit(Applicant), Now).Accept();
        var happened = Assert.IsType<BidSubmitted>(Assert.Single(submitted.Events));
        Assert.Equal(Now, happened.At);
        Assert.Equal(Applicant.UserId, happened.By);
        Assert.Equal(3, submitted.State.Version);
        Assert.Equal(Now, submitted.State.SubmittedAt);
    }
}

public class DeliveryTests
{
    [Theory]
    [InlineData(DeliveryOutcome.Bounced, "decision-prompt-board", true)]
    [InlineData(DeliveryOutcome.Dropped, "decision-reminder", true)]
    [InlineData(DeliveryOutcome.Bounced, "bid-received", false)]
    [InlineData(DeliveryOutcome.Delivered, "decision-prompt-hce", false)]
    public void An_undelivered_decision_prompt_alerts_the_coordinators(DeliveryOutcome outcome, string template, bool alerts)
    {
        var reported = TestBids.Workflow.Decide(TestBids.In(BidStage.BoardApproval), new RecordDelivery(Actor.System, "fx-00000007-01", "chair@example.org", template, outcome, "550 mailbox unavailable", TestBids.Now), TestBids.Now).Accept();
        Assert.Equal(outcome, Assert.IsType<DeliveryReported>(Assert.Single(reported.Events)).Outcome);
        Assert.Equal(alerts, reported.Effects.Contains(new Notify(Audience.Coordinators, "prompt-undelivered")));
        Assert.Equal(BidStage.BoardApproval, reported.State.Stage);
    }
}

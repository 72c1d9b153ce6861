using Partnership.Workflows.Bids;
using static Partnership.Workflows.Tests.TestBids;

namespace Partnership.Workflows.Tests.Stages;

/// <summary>The application: a bid started, written, submitted, screened and sent back.</summary>
public class ApplicationStageTests
{
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
    public void A_version_2_bid_cannot_be_submitted_without_a_business_case_document()
    {
        var bid = Draft(definitionVersion: 2) with { Documents = [] };
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
        var proposal = ProposalFor(2) with { Requested = new Funding(decimal.Parse(revenue, System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(capital, System.Globalization.CultureInfo.InvariantCulture)) };
        var refused = Workflow.Decide(Draft(definitionVersion: 2), new EditDraft(Applicant, proposal), Now).Refuse();
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
    public void Events_are_stamped_with_when_and_by_whom()
    {
        var submitted = Workflow.Decide(Draft(), new Submit(Applicant), Now).Accept();
        var happened = Assert.IsType<BidSubmitted>(Assert.Single(submitted.Events));
        Assert.Equal(Now, happened.At);
        Assert.Equal(Applicant.UserId, happened.By);
        Assert.Equal(3, submitted.State.Version);
        Assert.Equal(Now, submitted.State.SubmittedAt);
    }

    [Fact]
    public void Timers_from_a_stage_left_earlier_are_never_reused_when_the_stage_is_entered_again()
    {
        var screening = Workflow.Decide(Draft(), new Submit(Applicant), Now).Accept();
        var sentBack = Workflow.Decide(screening.State, new RequestChanges(Coordinator, "Add a budget"), Now).Accept();
        var again = Workflow.Decide(sentBack.State, new Resubmit(Applicant), Now).Accept();
        var firstIds = screening.State.Timers.Select(t => t.Id);
        Assert.Empty(firstIds.Intersect(again.State.Timers.Select(t => t.Id)));
    }
}

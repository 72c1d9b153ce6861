using System.Collections.Immutable;
using Partnership.Workflows.Bids;
using static Partnership.Workflows.Tests.TestBids;

namespace Partnership.Workflows.Tests.Stages;

/// <summary>Version 3: the bid holds its business case, the cost lines make the amount, and only a complete case is submitted.</summary>
public class BusinessCaseTests
{
    private static BidProposal WithCase(Func<BusinessCase, BusinessCase> change)
    {
        var changed = change(TopFamiliesCase);
        return Proposal with { Case = changed, Requested = changed.Totals };
    }

    [Fact]
    public void The_amount_requested_is_what_the_cost_lines_add_up_to_to_the_penny()
    {
        Assert.Equal(new Funding(55_000m, 0m), TopFamiliesCase.Totals);
        var capital = WithCase(c => c with { Costs = c.Costs.Add(new("Laptops", "For the outreach workers.", FundingType.Capital, "2012/13", 2_499.99m)) });
        var edited = Workflow.Decide(Draft(), new EditDraft(Applicant, capital), Now).Accept();
        Assert.Equal(new Funding(55_000m, 2_499.99m), edited.State.Proposal.Requested);

        var mismatched = capital with { Requested = new Funding(55_000m, 2_500m) };
        var refused = Workflow.Decide(Draft(), new EditDraft(Applicant, mismatched), Now).Refuse();
        Assert.Equal("The amount requested must be what the cost lines add up to: £55,000.00 revenue and £2,499.99 capital.", refused.Reason);
    }

    [Theory]
    [InlineData("2011/13", "12.50", "financial year as two years, like 2011/12")]
    [InlineData("2011-12", "12.50", "financial year as two years, like 2011/12")]
    [InlineData("2011/12", "12.505", "whole pence")]
    [InlineData("2011/12", "0", "more than £0.00")]
    public void Each_cost_line_states_its_rule_when_broken(string year, string amount, string expected)
    {
        var line = new CostLine("Venue hire", "", FundingType.Revenue, year, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture));
        var proposal = WithCase(c => c with { Costs = [line] });
        var refused = Workflow.Decide(Draft(), new EditDraft(Applicant, proposal), Now).Refuse();
        Assert.Contains(expected, refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_contact_email_must_be_an_address()
    {
        var proposal = WithCase(c => c with { StrategicLead = c.StrategicLead with { Email = "catherine at harrow" } });
        Assert.Contains("email address in the correct format", Workflow.Decide(Draft(), new EditDraft(Applicant, proposal), Now).Refuse().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_draft_saves_an_unfinished_case_but_only_a_complete_one_is_submitted_and_without_a_document()
    {
        var unfinished = WithCase(c => c with { Risks = [], Milestones = [] });
        var saved = Workflow.Decide(Draft() with { Documents = [] }, new EditDraft(Applicant, unfinished), Now).Accept();

        var refused = Workflow.Decide(saved.State, new Submit(Applicant), Now).Refuse();
        Assert.Equal("The business case is not finished: Add at least one milestone: a timescale and what will be achieved by then.", refused.Reason);
        Assert.Equal([CaseSection.Milestones, CaseSection.Risks], BusinessCaseRules.Missing(unfinished.Case!).Select(p => p.Section));

        var complete = Workflow.Decide(saved.State, new EditDraft(Applicant, Proposal), Now).Accept();
        var submitted = Workflow.Decide(complete.State, new Submit(Applicant), Now).Accept();
        Assert.Equal(BidStage.Screening, submitted.State.Stage);
        Assert.Empty(submitted.State.Documents);
    }

    [Fact]
    public void A_new_bid_starts_with_no_cost_lines_and_nothing_requested()
    {
        var empty = Proposal with { Case = new BusinessCase(), Requested = Funding.Zero };
        var started = BidWorkflow.Start(new StartBid(Applicant, "b2", "fund", Organisation, empty), Now).Accept();
        Assert.Equal((BidWorkflowDefinition.CurrentVersion, Funding.Zero), (started.State.DefinitionVersion, started.State.Proposal.Requested));
        Assert.Equal(7, BusinessCaseRules.Missing(empty.Case!).Select(p => p.Section).Distinct().Count());
    }

    [Fact]
    public void A_version_2_bid_still_runs_on_its_own_rules_and_refuses_a_written_case()
    {
        var v2 = Draft(definitionVersion: 2);
        var refused = Workflow.Decide(v2, new EditDraft(Applicant, Proposal), Now).Refuse();
        Assert.Contains("started under version 2", refused.Reason, StringComparison.Ordinal);

        var edited = Workflow.Decide(v2, new EditDraft(Applicant, ProposalFor(2) with { Summary = "Revised." }), Now).Accept();
        var submitted = Workflow.Decide(edited.State, new Submit(Applicant), Now).Accept();
        Assert.Equal((BidStage.Screening, 2), (submitted.State.Stage, submitted.State.DefinitionVersion));
        Assert.Null(submitted.State.Proposal.Case);
    }

    [Fact]
    public void Priorities_are_chosen_once_each()
    {
        var twice = WithCase(c => c with { Priorities = ImmutableList.Create("Health", "Health") });
        Assert.Equal("Choose each priority once.", Workflow.Decide(Draft(), new EditDraft(Applicant, twice), Now).Refuse().Reason);
    }

    [Fact]
    public void Changes_are_asked_for_against_sections_and_cleared_when_the_bid_is_resubmitted()
    {
        var comments = ImmutableDictionary<CaseSection, string>.Empty.Add(CaseSection.Funding, "Split the software licence over the two years.");
        var asked = Workflow.Decide(In(BidStage.Screening), new RequestChanges(Coordinator, "Two changes to the funding.") { Sections = comments }, Now).Accept();
        Assert.Equal("Split the software licence over the two years.", asked.State.ChangeComments[CaseSection.Funding]);
        Assert.Equal(comments, Assert.IsType<ChangesWereRequested>(Assert.Single(asked.Events)).Sections);

        var resubmitted = Workflow.Decide(asked.State, new Resubmit(Applicant), Now).Accept();
        Assert.Empty(resubmitted.State.ChangeComments);

        var v2 = Workflow.Decide(In(BidStage.Screening, definitionVersion: 2), new RequestChanges(Coordinator, "Change it.") { Sections = comments }, Now).Refuse();
        Assert.Contains("no written business case", v2.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_is_started_once_anything_in_it_is_written()
    {
        var empty = new BusinessCase();
        Assert.All(Enum.GetValues<CaseSection>(), s => Assert.False(BusinessCaseRules.IsStarted(empty, s)));
        Assert.All(Enum.GetValues<CaseSection>(), s => Assert.True(BusinessCaseRules.IsStarted(TopFamiliesCase, s)));
        Assert.True(BusinessCaseRules.IsStarted(empty with { Need = "Families" }, CaseSection.Need));
    }
}

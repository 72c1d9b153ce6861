using Partnership.Workflows.Bids;
using static Partnership.Workflows.Tests.TestBids;

namespace Partnership.Workflows.Tests.Stages;

/// <summary>
/// Changes to one part of a draft land on the proposal as the bid holds it, so two people writing a bid at once
/// keep each other's work: each page sends what it changed, never the whole proposal as it was when the page opened.
/// </summary>
public class DraftChangeTests
{
    private static readonly CostLine Venue = new("Venue hire", "Six training days.", FundingType.Revenue, "2012/13", 1_250.50m);

    private static BidState Change(BidState bid, DraftChange change) => Workflow.Decide(bid, new ChangeDraft(Applicant, change), Now).Accept().State;

    [Fact]
    public void Two_colleagues_saving_different_sections_from_the_same_page_load_both_keep_their_work()
    {
        var opened = Draft();
        var stale = opened.Proposal.Case!;

        var withCost = Change(opened, new AddCaseEntry(Venue));
        var both = Change(withCost, new SetCaseSection(CaseSection.Need, stale with { Need = "Rewritten need." }));
        var all = Change(both, new SetProjectDetails("Top Families: phase two", "Rewritten summary.", new DateOnly(2027, 2, 1), new DateOnly(2028, 12, 31)));

        Assert.Equal(Venue, all.Proposal.Case!.Costs[^1]);
        Assert.Equal("Rewritten need.", all.Proposal.Case.Need);
        Assert.Equal(TopFamiliesCase.Activities, all.Proposal.Case.Activities);
        Assert.Equal(("Top Families: phase two", "Rewritten summary.", new DateOnly(2027, 2, 1)), (all.Proposal.Title, all.Proposal.Summary, all.Proposal.GrantStart));
        Assert.Equal(new Funding(56_250.50m, 0m), all.Proposal.Requested);
    }

    [Fact]
    public void A_written_section_takes_only_its_own_fields()
    {
        var other = new BusinessCase { Need = "Not this", StrategicLead = new("Someone Else", "Director", "someone@example.org"), Priorities = ["Health"] };

        var changed = Change(Draft(), new SetCaseSection(CaseSection.Priorities, other)).Proposal.Case!;

        Assert.Equal(["Health"], changed.Priorities);
        Assert.Equal((TopFamiliesCase.Need, TopFamiliesCase.StrategicLead), (changed.Need, changed.StrategicLead));
    }

    [Fact]
    public void Removing_names_the_entry_so_a_second_removal_of_it_is_refused_and_takes_nothing_else()
    {
        var training = TopFamiliesCase.Costs[3];
        var once = Change(Draft(), new RemoveCaseEntry(training));

        var twice = Workflow.Decide(once, new ChangeDraft(Applicant, new RemoveCaseEntry(training)), Now).Refuse();

        Assert.Equal("That entry is no longer in the business case: someone may have removed it already.", twice.Reason);
        Assert.Equal(TopFamiliesCase.Costs.Take(3), once.Proposal.Case!.Costs);
        Assert.Equal(new Funding(44_500m, 0m), once.Proposal.Requested);
    }

    [Fact]
    public void A_change_is_held_to_the_rules_of_every_save_and_a_refused_one_changes_nothing()
    {
        var bid = Draft();
        var free = Venue with { Amount = 0m };
        var longTitle = new string('x', 201);

        var zero = Workflow.Decide(bid, new ChangeDraft(Applicant, new AddCaseEntry(free)), Now).Refuse();
        var title = Workflow.Decide(bid, new ChangeDraft(Applicant, new SetProjectDetails(longTitle, "", bid.Proposal.GrantStart, bid.Proposal.GrantEnd)), Now).Refuse();
        var listed = Workflow.Decide(bid, new ChangeDraft(Applicant, new SetCaseSection(CaseSection.Funding, new BusinessCase())), Now).Refuse();

        Assert.Contains("more than £0.00", zero.Reason, StringComparison.Ordinal);
        Assert.Equal("Give the project a title of 3 to 200 characters.", title.Reason);
        Assert.Equal("Cost lines, other funding, outcomes, milestones and risks are added and removed one entry at a time.", listed.Reason);
    }

    [Fact]
    public void A_version_2_bid_has_no_part_changes_and_keeps_its_whole_proposal_edits()
    {
        var refused = Workflow.Decide(Draft(definitionVersion: 2), new ChangeDraft(Applicant, new AddCaseEntry(Venue)), Now).Refuse();

        Assert.Equal((RefusalKind.WrongStage, "ChangeDraft is not part of version 2 of the bid workflow."), (refused.Kind, refused.Reason));
    }
}

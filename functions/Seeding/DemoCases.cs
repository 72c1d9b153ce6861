using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Seeding;

/// <summary>
/// The business cases the demo bids hold. Top Families' is the budget paper's own (its £55,000 in the paper's four
/// lines). The projects of the progress report's Appendix 3 (all seven of them) bring their milestones, outcomes and priorities from it,
/// on an outline of the rest. Every other bid holds an outline drawn from its title, summary and amount, complete
/// enough to have been submitted. Outcome dates move with the papers' dates; milestones keep the papers' words.
/// </summary>
internal static class DemoCases
{
    public static BidProposal WithCase(BidProposal proposal, string organisationId, BusinessCase? fromPapers, int years)
    {
        var outline = Outline(proposal, organisationId);
        var papers = fromPapers is null ? null : fromPapers with { Outcomes = [.. fromPapers.Outcomes.Select(o => o with { By = o.By.AddYears(years) })] };
        var businessCase = papers switch
        {
            null => outline,
            { Costs.Count: > 0 } whole => whole,
            { } partial => outline with
            {
                Priorities = partial.Priorities.Count > 0 ? partial.Priorities : outline.Priorities,
                Milestones = partial.Milestones.Count > 0 ? partial.Milestones : outline.Milestones,
                Outcomes = partial.Outcomes.Count > 0 ? partial.Outcomes : outline.Outcomes,
            },
        };
        return proposal with { Case = businessCase, Requested = businessCase.Totals };
    }

    private static BusinessCase Outline(BidProposal proposal, string organisationId)
    {
        var start = proposal.GrantStart;
        var year = start.Month >= 4 ? start.Year : start.Year - 1;
        var financialYear = $"{year}/{(year + 1) % 100:D2}";
        List<CostLine> costs = [];
        if (proposal.Requested.Revenue > 0m)
        {
            costs.Add(new CostLine("Project delivery", "Staff and running costs of the project.", FundingType.Revenue, financialYear, proposal.Requested.Revenue));
        }

        if (proposal.Requested.Capital > 0m)
        {
            costs.Add(new CostLine("Equipment and works", "The project's capital items.", FundingType.Capital, financialYear, proposal.Requested.Capital));
        }

        return new BusinessCase
        {
            StrategicLead = new Contact("Strategic lead", "Director", $"lead@{organisationId}.example.org"),
            ProjectCoordinator = new Contact("Project coordinator", "Project manager", $"projects@{organisationId}.example.org"),
            Need = proposal.Summary,
            Activities = $"{proposal.Title}, as set out in the business case attached.",
            Priorities = [PartnershipPriorities.Defaults[0]],
            Costs = [.. costs],
            Outcomes = [new ProjectOutcome($"{proposal.Title} delivered", "Quarterly monitoring returns", "None", "Delivered as planned", proposal.GrantEnd)],
            Milestones = [new Milestone(Display(proposal.GrantEnd), "Project complete and its final return made")],
            Risks = [new ProjectRisk("Delivery falls behind plan", RiskLevel.Medium, RiskLevel.Medium, "Quarterly returns to the coordinator, with milestones rated red, amber or green")],
        };
    }

    private static string Display(DateOnly date) => date.ToString("MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
}

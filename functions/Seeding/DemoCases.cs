using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Seeding;

/// <summary>
/// The business cases the demo bids hold: the papers' own where the demo data has one (Top Families' £55,000 in the
/// budget paper's four lines), otherwise an outline drawn from the bid's title, summary and amount, complete enough to
/// have been submitted.
/// </summary>
internal static class DemoCases
{
    public static BidProposal WithCase(BidProposal proposal, string organisationId, BusinessCase? fromPapers)
    {
        var businessCase = fromPapers ?? Outline(proposal, organisationId);
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

using System.Collections.Immutable;

namespace Partnership.Workflows.Bids;

/// <summary>
/// One change to a draft, made to the proposal as the bid holds it when it takes the change rather than as the
/// person making it last saw it, so colleagues writing different parts of a bid at once never undo each other's work.
/// </summary>
public abstract record DraftChange
{
    /// <summary>The proposal with this change made, or null with the reason it cannot be made.</summary>
    public abstract BidProposal? ApplyTo(BidProposal proposal, out string? problem);

    /// <summary>The proposal with its case replaced, asking for what the case's cost lines add up to.</summary>
    protected static BidProposal WithCase(BidProposal proposal, BusinessCase businessCase)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return proposal with { Case = businessCase, Requested = businessCase.Totals };
    }
}

/// <summary>The project's title, summary and grant period; the business case is left as it stands.</summary>
public sealed record SetProjectDetails(string Title, string Summary, DateOnly GrantStart, DateOnly GrantEnd) : DraftChange
{
    public override BidProposal? ApplyTo(BidProposal proposal, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        problem = null;
        return proposal with { Title = Title ?? "", Summary = Summary ?? "", GrantStart = GrantStart, GrantEnd = GrantEnd };
    }
}

/// <summary>A written section (contacts, need, priorities) saved whole, taken from <paramref name="Written"/>'s fields for that section.</summary>
public sealed record SetCaseSection(CaseSection Section, BusinessCase Written) : DraftChange
{
    public override BidProposal? ApplyTo(BidProposal proposal, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var current = proposal.Case ?? new BusinessCase();
        var written = Written ?? new BusinessCase();
        BusinessCase? changed = Section switch
        {
            CaseSection.Contacts => current with { StrategicLead = written.StrategicLead, ProjectCoordinator = written.ProjectCoordinator },
            CaseSection.Need => current with { Need = written.Need, Activities = written.Activities, Phases = written.Phases },
            CaseSection.Priorities => current with { Priorities = written.Priorities },
            _ => null,
        };
        problem = changed is null ? "Cost lines, other funding, outcomes, milestones and risks are added and removed one entry at a time." : null;
        return changed is null ? null : WithCase(proposal, changed);
    }
}

/// <summary>An entry added to the end of its list.</summary>
public sealed record AddCaseEntry(CaseEntry Entry) : DraftChange
{
    public override BidProposal? ApplyTo(BidProposal proposal, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var current = proposal.Case ?? new BusinessCase();
        BusinessCase? changed = Entry switch
        {
            CostLine cost => current with { Costs = current.Costs.Add(cost) },
            OtherFunding other => current with { OtherFunding = current.OtherFunding.Add(other) },
            ProjectOutcome outcome => current with { Outcomes = current.Outcomes.Add(outcome) },
            Milestone milestone => current with { Milestones = current.Milestones.Add(milestone) },
            ProjectRisk risk => current with { Risks = current.Risks.Add(risk) },
            _ => null,
        };
        problem = changed is null ? "Give the entry to add." : null;
        return changed is null ? null : WithCase(proposal, changed);
    }
}

/// <summary>
/// An entry taken out of its list: the first one equal to <paramref name="Entry"/>. Naming the entry rather than its
/// position means a colleague's earlier removal cannot make this one take out a different entry.
/// </summary>
public sealed record RemoveCaseEntry(CaseEntry Entry) : DraftChange
{
    public override BidProposal? ApplyTo(BidProposal proposal, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var current = proposal.Case ?? new BusinessCase();
        BusinessCase? changed = Entry switch
        {
            CostLine cost => Without(current.Costs, cost) is { } costs ? current with { Costs = costs } : null,
            OtherFunding other => Without(current.OtherFunding, other) is { } others ? current with { OtherFunding = others } : null,
            ProjectOutcome outcome => Without(current.Outcomes, outcome) is { } outcomes ? current with { Outcomes = outcomes } : null,
            Milestone milestone => Without(current.Milestones, milestone) is { } milestones ? current with { Milestones = milestones } : null,
            ProjectRisk risk => Without(current.Risks, risk) is { } risks ? current with { Risks = risks } : null,
            _ => null,
        };
        problem = changed is null ? "That entry is no longer in the business case: someone may have removed it already." : null;
        return changed is null ? null : WithCase(proposal, changed);
    }

    private static ImmutableList<T>? Without<T>(ImmutableList<T> items, T entry)
    {
        var index = items.IndexOf(entry);
        return index < 0 ? null : items.RemoveAt(index);
    }
}

using System.Collections.Immutable;
using System.Globalization;
using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Partnership.Workflows.Bids;

public enum FundingType
{
    Revenue,
    Capital,
}

public enum FundingStatus
{
    Secured,
    Sought,
}

public enum RiskLevel
{
    Low,
    Medium,
    High,
}

/// <summary>A named person on the project, as the papers' business cases name a strategic lead and a coordinator.</summary>
public sealed record Contact(string Name = "", string Role = "", string Email = "");

/// <summary>An entry in one of the business case's lists: a cost line, other funding, an outcome, a milestone or a risk.</summary>
public abstract record CaseEntry;

/// <summary>One line of the funding required: the lines' revenue and capital totals are the amount requested.</summary>
public sealed record CostLine(string Item, string Description, FundingType Type, string FinancialYear, decimal Amount) : CaseEntry;

public sealed record OtherFunding(string Source, decimal Amount, FundingStatus Status) : CaseEntry;

/// <summary>
/// An outcome the project commits to, with how it is measured, from what, to what, by when, and the partnership
/// outcome measure (such as OM13) it says it contributes to, if any.
/// </summary>
public sealed record ProjectOutcome(string Description, string Measure, string Baseline, string Target, DateOnly By, string? ContributesTo = null) : CaseEntry;

/// <summary>A timescale and what will be achieved by it, as Appendix 3 of the progress report lists them.</summary>
public sealed record Milestone(string Timescale, string Achievement) : CaseEntry;

public sealed record ProjectRisk(string Description, RiskLevel Likelihood, RiskLevel Impact, string Mitigation) : CaseEntry;

/// <summary>
/// The business case a bid makes (definition version 3 on), section by section as the applicant writes it. It may
/// be incomplete while the bid is a draft; <see cref="BusinessCaseRules"/> says what each section still needs.
/// </summary>
public sealed record BusinessCase
{
    // Read from request bodies too: a null anywhere is taken as nothing written yet, never stored as a null.
    public Contact StrategicLead { get; init => field = value ?? new(); } = new();
    public Contact ProjectCoordinator { get; init => field = value ?? new(); } = new();
    public string Need { get; init => field = value ?? ""; } = "";
    public string Activities { get; init => field = value ?? ""; } = "";
    public ImmutableList<string> Priorities { get; init => field = Present(value); } = [];
    public ImmutableList<string> Phases { get; init => field = Present(value); } = [];
    public ImmutableList<CostLine> Costs { get; init => field = Present(value); } = [];
    public ImmutableList<OtherFunding> OtherFunding { get; init => field = Present(value); } = [];
    public ImmutableList<ProjectOutcome> Outcomes { get; init => field = Present(value); } = [];
    public ImmutableList<Milestone> Milestones { get; init => field = Present(value); } = [];
    public ImmutableList<ProjectRisk> Risks { get; init => field = Present(value); } = [];

    /// <summary>The amount requested: the cost lines' revenue and capital, added up.</summary>
    public Funding Totals => new(
        Costs.Where(c => c.Type == FundingType.Revenue).Sum(c => c.Amount),
        Costs.Where(c => c.Type == FundingType.Capital).Sum(c => c.Amount));

    private static ImmutableList<T> Present<T>(ImmutableList<T>? items) => items?.RemoveAll(i => i is null) ?? [];
}

/// <summary>The sections of the business case, in the order the applicant's task list shows them.</summary>
public enum CaseSection
{
    Contacts,
    Need,
    Priorities,
    Funding,
    Outcomes,
    Milestones,
    Risks,
}

/// <summary>What is wrong, in words, with which field of which section.</summary>
public sealed record CaseProblem(CaseSection Section, string Field, string Message);

/// <summary>
/// The rules a business case keeps. <see cref="Shape"/> holds at every save (lengths, money in whole pence,
/// financial years, email addresses); <see cref="Missing"/> says what a complete case still lacks, which
/// submission requires.
/// </summary>
public static partial class BusinessCaseRules
{
    public const int MaxText = 8000;
    public const int MaxShort = 200;
    public const int MaxItems = 50;

    public static IReadOnlyList<CaseProblem> Shape(BusinessCase businessCase)
    {
        ArgumentNullException.ThrowIfNull(businessCase);
        var problems = new List<CaseProblem>();
        void Add(CaseSection section, string field, bool wrong, string message)
        {
            if (wrong)
            {
                problems.Add(new CaseProblem(section, field, message));
            }
        }

        foreach (var (contact, who) in new[] { (businessCase.StrategicLead, "strategicLead"), (businessCase.ProjectCoordinator, "projectCoordinator") })
        {
            Add(CaseSection.Contacts, $"{who}Name", (contact.Name ?? "").Length > MaxShort, $"Keep the name to {MaxShort} characters.");
            Add(CaseSection.Contacts, $"{who}Role", (contact.Role ?? "").Length > MaxShort, $"Keep the role to {MaxShort} characters.");
            Add(CaseSection.Contacts, $"{who}Email", !string.IsNullOrWhiteSpace(contact.Email) && !IsEmail(contact.Email), "Enter an email address in the correct format, like name@example.org.");
        }

        Add(CaseSection.Need, "need", (businessCase.Need ?? "").Length > MaxText, $"Keep the need to {MaxText:N0} characters.");
        Add(CaseSection.Need, "activities", (businessCase.Activities ?? "").Length > MaxText, $"Keep what the project will do to {MaxText:N0} characters.");
        Add(CaseSection.Need, "phases", businessCase.Phases.Count > MaxItems || businessCase.Phases.Any(p => string.IsNullOrWhiteSpace(p) || p.Length > MaxShort), $"Give each phase a name of up to {MaxShort} characters, at most {MaxItems} phases.");
        Add(CaseSection.Priorities, "priorities", businessCase.Priorities.Count > MaxItems || businessCase.Priorities.Any(p => string.IsNullOrWhiteSpace(p) || p.Length > MaxShort), "Choose priorities from the fund's list.");
        Add(CaseSection.Priorities, "priorities", businessCase.Priorities.Distinct(StringComparer.Ordinal).Count() != businessCase.Priorities.Count, "Choose each priority once.");

        Add(CaseSection.Funding, "costs", businessCase.Costs.Count > MaxItems, $"A business case can have at most {MaxItems} cost lines.");
        foreach (var cost in businessCase.Costs)
        {
            Add(CaseSection.Funding, "item", string.IsNullOrWhiteSpace(cost.Item) || cost.Item.Length > MaxShort, $"Give each cost line an item of up to {MaxShort} characters.");
            Add(CaseSection.Funding, "description", (cost.Description ?? "").Length > MaxText, $"Keep each cost line's description to {MaxText:N0} characters.");
            Add(CaseSection.Funding, "financialYear", !IsFinancialYear(cost.FinancialYear), "Give the financial year as two years, like 2011/12.");
            Add(CaseSection.Funding, "amount", !Money.IsAmount(cost.Amount) || cost.Amount == 0m, $"Each cost line's amount must be more than £0.00, in whole pence, and at most {Money.Pounds(Money.Ceiling)}.");
        }

        Add(CaseSection.Funding, "otherFunding", businessCase.OtherFunding.Count > MaxItems, $"List at most {MaxItems} other sources of funding.");
        foreach (var other in businessCase.OtherFunding)
        {
            Add(CaseSection.Funding, "source", string.IsNullOrWhiteSpace(other.Source) || other.Source.Length > MaxShort, $"Name each other source of funding in up to {MaxShort} characters.");
            Add(CaseSection.Funding, "otherAmount", !Money.IsAmount(other.Amount) || other.Amount == 0m, "Each other source's amount must be more than £0.00, in whole pence.");
        }

        Add(CaseSection.Outcomes, "outcomes", businessCase.Outcomes.Count > MaxItems, $"A business case can have at most {MaxItems} outcomes.");
        foreach (var outcome in businessCase.Outcomes)
        {
            Add(CaseSection.Outcomes, "outcome", string.IsNullOrWhiteSpace(outcome.Description) || outcome.Description.Length > MaxText, "Describe each outcome.");
            Add(CaseSection.Outcomes, "measure", string.IsNullOrWhiteSpace(outcome.Measure) || outcome.Measure.Length > MaxText, "Say how each outcome is measured.");
            Add(CaseSection.Outcomes, "baseline", (outcome.Baseline ?? "").Length > MaxShort, $"Keep each baseline to {MaxShort} characters.");
            Add(CaseSection.Outcomes, "target", string.IsNullOrWhiteSpace(outcome.Target) || outcome.Target.Length > MaxShort, $"Give each outcome a target of up to {MaxShort} characters.");
            Add(CaseSection.Outcomes, "by", outcome.By.Year is < 2000 or > 2100, "Give the date each outcome is to be met by.");
            Add(CaseSection.Outcomes, "contributesTo", outcome.ContributesTo is { } measure && !Outcomes.PartnershipMeasure.IsId(measure), "Choose a partnership outcome measure from the list, or none.");
        }

        Add(CaseSection.Milestones, "milestones", businessCase.Milestones.Count > MaxItems, $"A business case can have at most {MaxItems} milestones.");
        foreach (var milestone in businessCase.Milestones)
        {
            Add(CaseSection.Milestones, "timescale", string.IsNullOrWhiteSpace(milestone.Timescale) || milestone.Timescale.Length > MaxShort, $"Give each milestone a timescale of up to {MaxShort} characters, like March 2012.");
            Add(CaseSection.Milestones, "achievement", string.IsNullOrWhiteSpace(milestone.Achievement) || milestone.Achievement.Length > MaxText, "Say what each milestone will achieve.");
        }

        Add(CaseSection.Risks, "risks", businessCase.Risks.Count > MaxItems, $"A business case can have at most {MaxItems} risks.");
        foreach (var risk in businessCase.Risks)
        {
            Add(CaseSection.Risks, "risk", string.IsNullOrWhiteSpace(risk.Description) || risk.Description.Length > MaxText, "Describe each risk.");
            Add(CaseSection.Risks, "mitigation", string.IsNullOrWhiteSpace(risk.Mitigation) || risk.Mitigation.Length > MaxText, "Say how each risk will be managed.");
        }

        return [.. problems.DistinctBy(p => (p.Field, p.Message))];
    }

    /// <summary>What a complete business case still lacks, section by section.</summary>
    public static IReadOnlyList<CaseProblem> Missing(BusinessCase businessCase)
    {
        ArgumentNullException.ThrowIfNull(businessCase);
        var problems = new List<CaseProblem>();
        void Need(CaseSection section, string field, bool missing, string message)
        {
            if (missing)
            {
                problems.Add(new CaseProblem(section, field, message));
            }
        }

        foreach (var (contact, who, title) in new[] { (businessCase.StrategicLead, "strategicLead", "strategic lead"), (businessCase.ProjectCoordinator, "projectCoordinator", "project coordinator") })
        {
            Need(CaseSection.Contacts, $"{who}Name", string.IsNullOrWhiteSpace(contact.Name), $"Enter the {title}'s name.");
            Need(CaseSection.Contacts, $"{who}Role", string.IsNullOrWhiteSpace(contact.Role), $"Enter the {title}'s role.");
            Need(CaseSection.Contacts, $"{who}Email", string.IsNullOrWhiteSpace(contact.Email), $"Enter the {title}'s email address.");
        }

        Need(CaseSection.Need, "need", string.IsNullOrWhiteSpace(businessCase.Need), "Describe the need the project meets.");
        Need(CaseSection.Need, "activities", string.IsNullOrWhiteSpace(businessCase.Activities), "Describe what the project will do.");
        Need(CaseSection.Priorities, "priorities", businessCase.Priorities.Count == 0, "Choose at least one partnership priority the project supports.");
        Need(CaseSection.Funding, "costs", businessCase.Costs.Count == 0, "Add at least one cost line: the cost lines make the amount requested.");
        Need(CaseSection.Outcomes, "outcomes", businessCase.Outcomes.Count == 0, "Add at least one outcome, with its measure, baseline, target and date.");
        Need(CaseSection.Milestones, "milestones", businessCase.Milestones.Count == 0, "Add at least one milestone: a timescale and what will be achieved by then.");
        Need(CaseSection.Risks, "risks", businessCase.Risks.Count == 0, "Add at least one risk and how it will be managed.");
        return problems;
    }

    /// <summary>Whether anything of the section has been written, so a task list can tell "not yet started" from "incomplete".</summary>
    public static bool IsStarted(BusinessCase businessCase, CaseSection section)
    {
        ArgumentNullException.ThrowIfNull(businessCase);
        return section switch
        {
            CaseSection.Contacts => businessCase.StrategicLead != new Contact() || businessCase.ProjectCoordinator != new Contact(),
            CaseSection.Need => businessCase.Need.Length > 0 || businessCase.Activities.Length > 0 || businessCase.Phases.Count > 0,
            CaseSection.Priorities => businessCase.Priorities.Count > 0,
            CaseSection.Funding => businessCase.Costs.Count > 0 || businessCase.OtherFunding.Count > 0,
            CaseSection.Outcomes => businessCase.Outcomes.Count > 0,
            CaseSection.Milestones => businessCase.Milestones.Count > 0,
            CaseSection.Risks => businessCase.Risks.Count > 0,
            _ => false,
        };
    }

    /// <summary>Two consecutive years as the partnership writes them: 2011/12.</summary>
    public static bool IsFinancialYear(string? text) =>
        text is not null && FinancialYearPattern().Match(text) is { Success: true } m
        && (int.Parse(m.Groups["start"].Value, CultureInfo.InvariantCulture) + 1) % 100 == int.Parse(m.Groups["end"].Value, CultureInfo.InvariantCulture);

    public static bool IsEmail(string text) =>
        text.Length <= 254 && MailAddress.TryCreate(text.Trim(), out var address) && address.Address == text.Trim() && address.Host.Contains('.', StringComparison.Ordinal);

    [GeneratedRegex(@"^(?<start>20\d\d)/(?<end>\d\d)$")]
    private static partial Regex FinancialYearPattern();
}

/// <summary>The partnership's four priorities, as the board papers name them; a fund may keep its own list.</summary>
public static class PartnershipPriorities
{
    public static readonly IReadOnlyList<string> Defaults = ["Effective Joint Working", "Building Community Capacity", "Health", "Worklessness/Welfare"];
}

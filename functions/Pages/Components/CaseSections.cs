using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Components;

/// <summary>The business case's sections as pages name them and link to them.</summary>
public static class CaseSections
{
    public static string Slug(CaseSection section) => section.ToString().ToLowerInvariant();

    public static bool TryParse(string? slug, out CaseSection section) =>
        Enum.TryParse(slug, ignoreCase: true, out section) && Enum.IsDefined(section) && !int.TryParse(slug, out _);

    public static string Title(CaseSection section) => section switch
    {
        CaseSection.Contacts => "Strategic lead and project coordinator",
        CaseSection.Need => "The need and what the project will do",
        CaseSection.Priorities => "Partnership priorities",
        CaseSection.Funding => "Funding required",
        CaseSection.Outcomes => "Outcomes",
        CaseSection.Milestones => "Milestones",
        CaseSection.Risks => "Risks",
        _ => section.ToString(),
    };

    /// <summary>The task list's status for a section: completed, incomplete or not yet started.</summary>
    public static (string Text, string? Tag) Status(BusinessCase businessCase, CaseSection section) =>
        BusinessCaseRules.Missing(businessCase).All(p => p.Section != section) ? ("Completed", null)
        : BusinessCaseRules.IsStarted(businessCase, section) ? ("Incomplete", "govuk-tag--blue")
        : ("Not yet started", "govuk-tag--grey");
}

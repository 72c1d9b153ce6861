namespace Partnership.Workflows.Grants;

public enum VariationKind
{
    /// <summary>Reduce the award (giving the difference back to the line) or increase it within what the line has left.</summary>
    ChangeAward,

    /// <summary>Move underspend from this grant to another project, drawn on the same budget line.</summary>
    MoveUnderspend,

    /// <summary>Fund the rest of the grant from another budget line: the unspent award leaves one line and is taken from the other together.</summary>
    ChangeBudgetLine,

    ChangeEndDate,
    ChangeMilestones,
}

/// <summary>A change to a grant that a coordinator proposes and HCE agrees or declines.</summary>
public sealed record Variation(
    VariationKind Kind,
    string Reason,
    Funding? NewAward = null,
    Funding? Amount = null,
    string? ToBidId = null,
    string? ToLineId = null,
    DateOnly? NewEndDate = null,
    string? Milestones = null);

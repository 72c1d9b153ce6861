using System.Collections.Immutable;
using Partnership.Functions.Bids;
using Partnership.Workflows;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Grants;

public sealed record MoneyRequest(decimal? Revenue, decimal? Capital)
{
    public Funding ToFunding() => new(Revenue ?? 0m, Capital ?? 0m);
}

public sealed record ForecastRequest(string? Quarter, decimal? Revenue, decimal? Capital);

/// <summary>A quarterly return as the organisation fills it in. Spend to date and projected underspend are worked out, not asked for.</summary>
public sealed record ReturnRequest(
    MoneyRequest? ActualSpend,
    IReadOnlyList<ForecastRequest>? Forecasts,
    MoneyRequest? IdentifiedUnderspend,
    string? Narrative,
    IReadOnlyList<MilestoneUpdate>? Milestones,
    IReadOnlyList<OutcomeMeasure>? Outcomes,
    IReadOnlyList<string>? EvidenceDocumentIds)
{
    public ReturnReport? ToReport(out Dictionary<string, string[]> errors)
    {
        errors = [];
        ProposalRequest.Require(errors, nameof(ActualSpend), ActualSpend is null, "Give the actual spend for the quarter (revenue and capital).");
        ProposalRequest.Require(errors, nameof(Narrative), string.IsNullOrWhiteSpace(Narrative), "Say how the project went this quarter.");
        ProposalRequest.Require(errors, nameof(Forecasts), Forecasts?.Any(f => string.IsNullOrWhiteSpace(f.Quarter)) == true, "Each forecast names its quarter, e.g. 2011q3.");
        return errors.Count > 0 ? null : new ReturnReport(
            ActualSpend!.ToFunding(),
            [.. (Forecasts ?? []).Select(f => new QuarterForecast(f.Quarter!, new Funding(f.Revenue ?? 0m, f.Capital ?? 0m)))],
            IdentifiedUnderspend?.ToFunding() ?? Funding.Zero,
            Narrative!.Trim(),
            [.. Milestones ?? []],
            [.. Outcomes ?? []],
            [.. EvidenceDocumentIds ?? []]);
    }
}

public sealed record InstalmentRequest(int? Number, DateOnly? DueOn, decimal? Revenue, decimal? Capital, string? HeldUntilReturn);

public sealed record HoldRequest(string? Quarter);

public sealed record PaymentRequest(int? Instalment, decimal? Revenue, decimal? Capital, DateOnly? PaidOn, string? Reference);

public sealed record VariationRequest(VariationKind? Kind, string? Reason, MoneyRequest? NewAward, MoneyRequest? Amount, string? ToBidId, string? ToLineId, DateOnly? NewEndDate, string? Milestones)
{
    public Variation? ToVariation(out Dictionary<string, string[]> errors)
    {
        errors = [];
        ProposalRequest.Require(errors, nameof(Kind), Kind is null, "Choose ChangeAward, MoveUnderspend, ChangeBudgetLine, ChangeEndDate or ChangeMilestones.");
        ProposalRequest.Require(errors, nameof(Reason), string.IsNullOrWhiteSpace(Reason), "Give the reason for the variation.");
        return errors.Count > 0 ? null : new Variation(Kind!.Value, Reason!.Trim(), NewAward?.ToFunding(), Amount?.ToFunding(), ToBidId, ToLineId, NewEndDate, Milestones);
    }
}

public sealed record VariationDecisionRequest(bool? Agree, string? Reason);

internal static class InstalmentRequests
{
    public static ImmutableList<Instalment> ToInstalments(this IReadOnlyList<InstalmentRequest> requests, out Dictionary<string, string[]> errors)
    {
        errors = [];
        ProposalRequest.Require(errors, "instalments", requests.Any(r => r.Number is null || r.DueOn is null), "Each instalment has a number and a due date.");
        return errors.Count > 0 ? [] : [.. requests.Select(r => new Instalment(r.Number!.Value, r.DueOn!.Value, new Funding(r.Revenue ?? 0m, r.Capital ?? 0m), r.HeldUntilReturn))];
    }
}

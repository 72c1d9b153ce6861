using System.Collections.Immutable;
using Partnership.Functions.Http;
using Partnership.Workflows;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Grants;

public sealed record MoneyRequest(decimal? Revenue, decimal? Capital)
{
    public Funding ToFunding() => new(Revenue ?? 0m, Capital ?? 0m);

    public void Check(Dictionary<string, string[]> errors, string field)
    {
        RequestRules.Amount(errors, $"{field}.revenue", Revenue);
        RequestRules.Amount(errors, $"{field}.capital", Capital);
    }
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
        RequestRules.Require(errors, nameof(ActualSpend), ActualSpend is null, "Give the actual spend for the quarter (revenue and capital).");
        RequestRules.Require(errors, nameof(Narrative), string.IsNullOrWhiteSpace(Narrative), "Say how the project went this quarter.");
        RequestRules.Require(errors, nameof(Forecasts), Forecasts?.Any(f => f is null || !FinancialQuarter.TryParse(f.Quarter, out _)) == true, "Each forecast names its quarter, e.g. 2011q3.");
        foreach (var (forecast, i) in (Forecasts ?? []).Select((f, i) => (f, i)).Where(x => x.f is not null))
        {
            RequestRules.Amount(errors, $"forecasts[{i}].revenue", forecast.Revenue);
            RequestRules.Amount(errors, $"forecasts[{i}].capital", forecast.Capital);
        }

        RequestRules.Count(errors, nameof(Forecasts), Forecasts, 20);
        RequestRules.Count(errors, nameof(Milestones), Milestones, 50);
        RequestRules.Count(errors, nameof(Outcomes), Outcomes, 50);
        RequestRules.Count(errors, nameof(EvidenceDocumentIds), EvidenceDocumentIds, 20);
        RequestRules.Require(errors, nameof(Milestones), Milestones?.Any(m => m is null || string.IsNullOrWhiteSpace(m.Milestone) || !Enum.IsDefined(m.Rating)) == true, "Each milestone names itself and has a rating of Red, Amber or Green.");
        RequestRules.Require(errors, nameof(Outcomes), Outcomes?.Any(o => o is null || string.IsNullOrWhiteSpace(o.Measure)) == true, "Each outcome names its measure.");
        RequestRules.Require(errors, nameof(EvidenceDocumentIds), EvidenceDocumentIds?.Any(id => !Ids.IsSafe(id)) == true, Ids.Rule);
        RequestRules.Length(errors, nameof(Narrative), Narrative, 10_000);
        ActualSpend?.Check(errors, nameof(ActualSpend));
        IdentifiedUnderspend?.Check(errors, nameof(IdentifiedUnderspend));
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
        RequestRules.Require(errors, nameof(Kind), Kind is null, "Choose ChangeAward, MoveUnderspend, ChangeBudgetLine, ChangeEndDate or ChangeMilestones.");
        RequestRules.Require(errors, nameof(Reason), string.IsNullOrWhiteSpace(Reason), "Give the reason for the variation.");
        NewAward?.Check(errors, nameof(NewAward));
        Amount?.Check(errors, nameof(Amount));
        RequestRules.Id(errors, nameof(ToBidId), ToBidId);
        RequestRules.Id(errors, nameof(ToLineId), ToLineId);
        RequestRules.Date(errors, nameof(NewEndDate), NewEndDate);
        RequestRules.Length(errors, nameof(Milestones), Milestones, 10_000);
        return errors.Count > 0 ? null : new Variation(Kind!.Value, Reason!.Trim(), NewAward?.ToFunding(), Amount?.ToFunding(), ToBidId, ToLineId, NewEndDate, Milestones);
    }
}

public sealed record VariationDecisionRequest(bool? Agree, string? Reason);

internal static class InstalmentRequests
{
    public static ImmutableList<Instalment> ToInstalments(this IReadOnlyList<InstalmentRequest> requests, out Dictionary<string, string[]> errors)
    {
        errors = [];
        RequestRules.Require(errors, "instalments", requests.Any(r => r is null || r.Number is null || r.DueOn is null), "Each instalment has a number and a due date.");
        RequestRules.Count(errors, "instalments", requests, 48);
        RequestRules.Require(errors, "instalments", requests.Any(r => r is { Number: < 1 or > 48 }), "Instalments are numbered from 1 to 48.");
        foreach (var (request, i) in requests.Select((r, i) => (r, i)).Where(x => x.r is not null))
        {
            RequestRules.Amount(errors, $"[{i}].revenue", request.Revenue);
            RequestRules.Amount(errors, $"[{i}].capital", request.Capital);
        }

        RequestRules.Require(errors, "instalments", requests.Any(r => r?.HeldUntilReturn is { } q && !FinancialQuarter.TryParse(q, out _)), "An instalment held for a return names its quarter, e.g. 2011q2.");
        return errors.Count > 0 ? [] : [.. requests.Select(r => new Instalment(r.Number!.Value, r.DueOn!.Value, new Funding(r.Revenue ?? 0m, r.Capital ?? 0m), r.HeldUntilReturn))];
    }
}

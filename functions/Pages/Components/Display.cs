using System.Globalization;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Components;

/// <summary>How pages write dates, times, money and the workflow's names: British English, UK time, pence shown.</summary>
public static class Display
{
    public static readonly CultureInfo British = CultureInfo.GetCultureInfo("en-GB");

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", British);

    public static string Date(DateTimeOffset at) => Date(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, UkTime.Zone).DateTime));

    public static string When(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, UkTime.Zone);
        return $"{local.ToString("d MMMM yyyy", British)} at {local.ToString("h:mmtt", British).ToLowerInvariant()}";
    }

    public static string Pounds(decimal amount) => Money.Pounds(amount);

    /// <summary>A project outcome as the business case states it, with the partnership measure it contributes to.</summary>
    public static string Outcome(ProjectOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var stated = $"Measured by {outcome.Measure}; from {outcome.Baseline} to {outcome.Target} by {Date(outcome.By)}";
        return outcome.ContributesTo is { } measure ? $"{stated}; contributes to {measure}" : stated;
    }

    /// <summary>An outcome measure's figure: a count, a rate or a sum, with as many decimal places as it was given.</summary>
    public static string Figure(decimal? value) => value?.ToString("#,##0.####", British) ?? "Not yet set";

    /// <summary>An award or request in words: its revenue and capital parts, whichever are not zero.</summary>
    public static string Pounds(Funding amount)
    {
        ArgumentNullException.ThrowIfNull(amount);
        var parts = new List<string>();
        if (amount.Revenue > 0m)
        {
            parts.Add($"{Money.Pounds(amount.Revenue)} revenue");
        }

        if (amount.Capital > 0m)
        {
            parts.Add($"{Money.Pounds(amount.Capital)} capital");
        }

        return parts.Count == 0 ? Money.Pounds(0m) : string.Join(" and ", parts);
    }

    /// <summary>A form field's value for an amount: plain digits, no symbol, so it reads back exactly.</summary>
    public static string Field(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    public static string MeetingOutcome(Partnership.Workflows.Bids.MeetingOutcome outcome) => outcome switch
    {
        Partnership.Workflows.Bids.MeetingOutcome.Agreed => "Agreed",
        Partnership.Workflows.Bids.MeetingOutcome.AgreedWithChanges => "Agreed with a different amount",
        Partnership.Workflows.Bids.MeetingOutcome.Deferred => "Deferred",
        _ => "Rejected",
    };

    public static string Role(Role role) => role switch
    {
        Workflows.Role.HceMember => "HCE member",
        Workflows.Role.BoardMember => "Board member",
        Workflows.Role.FinanceOfficer => "Finance officer",
        Workflows.Role.OutcomeLead => "Outcome measure lead",
        _ => role.ToString(),
    };

    public static string Document(DocumentKind kind) => kind switch
    {
        DocumentKind.BusinessCase => "Business case",
        DocumentKind.SignedContract => "Signed contract",
        DocumentKind.GrantAgreement => "Grant agreement",
        _ => kind.ToString(),
    };

    public static string Stage(BidStage stage) => stage switch
    {
        BidStage.ChangesRequested => "Changes requested",
        BidStage.HceRecommendation => "HCE recommendation",
        BidStage.BoardApproval => "Board approval",
        BidStage.PurchaseOrder => "Purchase order",
        _ => stage.ToString(),
    };
}

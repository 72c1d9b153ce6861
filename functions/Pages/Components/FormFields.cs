using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Components;

/// <summary>What the shared field partials need: the field's id (also its form name), label, value and hint.</summary>
public sealed record MoneyInput(string Id, string Label, string? Value, string? Hint = null);

/// <summary>A choice of the fund's budget lines, each with what it has unallocated now; <paramref name="Empty"/> is the no-choice option.</summary>
public sealed record BudgetLineSelect(string Label, string Hint, IReadOnlyList<Partnership.Workflows.Budgets.BudgetLine> Lines, string? Selected, string Empty, string Id = "budgetLineId");

public sealed record TextArea(string Id, string Label, string? Value, string? Hint = null, int Rows = 3);

public sealed record TextInput(string Id, string Label, string? Value, string? Hint = null, string Type = "text", string? Autocomplete = null, string Width = "");

/// <summary>A GOV.UK date input: three fields named id-day, id-month and id-year; the day field carries the id.</summary>
public sealed record DateInput(string Id, string Legend, string? Day, string? Month, string? Year, string? Hint = null)
{
    public static DateInput Of(string id, string legend, DateOnly? date, string? hint = null) =>
        new(id, legend, date?.Day.ToString(System.Globalization.CultureInfo.InvariantCulture), date?.Month.ToString(System.Globalization.CultureInfo.InvariantCulture), date?.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), hint);
}

/// <summary>The project's title, summary and grant period, as the start page and the project details page ask them.</summary>
public sealed record ProjectFields(string? Title, string? Summary, DateInput GrantStart, DateInput GrantEnd)
{
    public const string StartLegend = "When the grant period starts";
    public const string EndLegend = "When the grant period ends";

    public static ProjectFields Of(BidProposal? proposal) => new(
        proposal?.Title, proposal?.Summary,
        DateInput.Of("grantStart", StartLegend, proposal?.GrantStart), DateInput.Of("grantEnd", EndLegend, proposal?.GrantEnd, "For example, 31 3 2028. A grant period is at most five years."));

    /// <summary>The posted fields, with their problems in words; the proposal's other parts are left to the caller.</summary>
    public static ProjectFields Read(Microsoft.AspNetCore.Http.IFormCollection form, Dictionary<string, string[]> errors, out DateOnly? start, out DateOnly? end)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(errors);
        var title = form["title"].ToString().Trim();
        var summary = form["summary"].ToString().Trim();
        start = DateField.Read(form, "grantStart", "The start date", errors, out var shownStart, StartLegend);
        end = DateField.Read(form, "grantEnd", "The end date", errors, out var shownEnd, EndLegend, "For example, 31 3 2028. A grant period is at most five years.");
        if (title.Length is < 3 or > 200)
        {
            errors["title"] = ["Enter a project title of 3 to 200 characters."];
        }

        if (summary.Length > 8000)
        {
            errors["summary"] = ["Keep the summary to 8,000 characters."];
        }

        if (start is null && !errors.ContainsKey("grantStart"))
        {
            errors["grantStart"] = ["Enter the date the grant period starts."];
        }

        if (end is null && !errors.ContainsKey("grantEnd"))
        {
            errors["grantEnd"] = ["Enter the date the grant period ends."];
        }

        return new ProjectFields(title, summary, shownStart, shownEnd);
    }
}

/// <summary>A business case shown as check-answers summary lists; with a bid id, each section links to its page to change it.</summary>
public sealed record CaseSummary(BusinessCase Case, string? EditBidId);

/// <summary>
/// A set of radios: the first option's input carries the field's id, so an error summary link reaches it. An option
/// may reveal the questions that only it needs; without script every reveal stays open, so the form still works.
/// </summary>
public sealed record Radios(string Id, string Legend, string? Value, IReadOnlyList<(string Value, string Label)> Options, string? Hint = null)
{
    public IReadOnlyDictionary<string, Func<object?, Microsoft.AspNetCore.Html.IHtmlContent>> Reveals { get; init; } =
        new Dictionary<string, Func<object?, Microsoft.AspNetCore.Html.IHtmlContent>>();

    /// <summary>GOV.UK heading size of the legend: "s"; "m" when the radios are the page's main question; "l" when they are its only one, the legend its heading.</summary>
    public string LegendSize { get; init; } = "s";
}

/// <summary>A table of bids waiting on someone, on the coordinator's dashboard.</summary>
public sealed record WaitingBids(string Caption, IReadOnlyList<Workflow.BidSummary> Bids, Coordinator.IndexModel Page);

/// <summary>A table of quarterly returns, overdue (with days late and escalation) or due soon.</summary>
public sealed record ReturnRows(string Caption, IReadOnlyList<Reports.ReturnRow> Rows, bool Late);

/// <summary>An amount in the parts of the award it can be in: revenue, capital or both.</summary>
public sealed record AmountFields(Bids.ReturnModel Page, string Field, string Label, string? Revenue = null, string? Capital = null, string? Hint = null);

/// <summary>A table's downloads: its export's path without the extension, and the query the page's view was filtered by.</summary>
public sealed record Downloads(string Path, string Query = "");

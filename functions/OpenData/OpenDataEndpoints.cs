using System.Text.Json.Nodes;
using Partnership.Functions.Identity;
using Partnership.Functions.Reports;

namespace Partnership.Functions.OpenData;

/// <summary>
/// The awarded grants as 360Giving open data: the JSON package and the flat CSV the standard also accepts. A grant
/// that would not validate stops the export and is named with its reasons, rather than quietly left out.
/// </summary>
public static class OpenDataEndpoints
{
    public static IEndpointRouteBuilder MapOpenData(this IEndpointRouteBuilder app)
    {
        var openData = app.MapGroup("/api/open-data").WithTags("Open data").RequireRoles(RoleGroups.Staff);
        openData.MapGet("/360giving.json", (ThreeSixtyGiving giving, TimeProvider clock, CancellationToken ct) =>
            PublishAsync(giving, grants => Results.Json(giving.Package(grants, clock.GetUtcNow())), ct)).WithName("ThreeSixtyGivingPackage");
        openData.MapGet("/360giving.csv", (ThreeSixtyGiving giving, CancellationToken ct) =>
            PublishAsync(giving, grants => new TableFile(Flat(grants), ExportFormat.Csv), ct)).WithName("ThreeSixtyGivingCsv");
        return app;
    }

    /// <summary>The grants in one of the standard's forms, once every one of them validates and there is at least one.</summary>
    private static async Task<IResult> PublishAsync(ThreeSixtyGiving giving, Func<JsonArray, IResult> publish, CancellationToken ct)
    {
        var export = await giving.GrantsAsync(ct);
        return export.Problems.Count > 0 ? Unpublishable(export)
            : export.Grants.Count == 0 ? NothingAwarded()
            : publish(export.Grants);
    }

    /// <summary>The standard's package holds at least one grant, so before the first award there is nothing to publish.</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NothingAwarded() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "No grant has been awarded yet.",
        detail: "360Giving data lists awarded grants; there will be some to publish once the Board approves a bid.");

    private static IResult Unpublishable(GrantsExport export) => Results.ValidationProblem(
        export.Problems.ToDictionary(p => p.GrantId, p => p.Reasons.ToArray()),
        title: "Some awarded grants cannot be published as 360Giving data.",
        detail: $"Put right {string.Join(", ", export.Problems.Select(p => p.Title))}, then export again: nothing is published while any grant would not validate.",
        statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary>The standard's flat form: one row per grant, the columns titled as its spreadsheet template titles them.</summary>
    private static ExportTable Flat(JsonArray grants)
    {
        static string? Text(JsonNode? grant, string path)
        {
            var node = grant;
            foreach (var part in path.Split('/'))
            {
                node = int.TryParse(part, out var i) ? node?.AsArray().ElementAtOrDefault(i) : node?[part];
            }

            return node?.ToString();
        }

        static decimal? Money(JsonNode? grant, string name) => grant?[name]?.GetValue<decimal>();

        return new ExportTable(
            "360giving",
            [
                new("Identifier"), new("Title"), new("Description"), new("Currency"), new("Amount Awarded", ColumnKind.Money),
                new("Award Date"), new("Planned Dates:Start Date"), new("Planned Dates:End Date"),
                new("Recipient Org:Identifier"), new("Recipient Org:Name"), new("Recipient Org:Charity Number"), new("Recipient Org:Company Number"),
                new("Funding Org:Identifier"), new("Funding Org:Name"), new("Grant Programme:Code"), new("Grant Programme:Title"),
                new("Amount Disbursed", ColumnKind.Money), new("Last Modified"),
            ],
            grants.Select(g => (IReadOnlyList<object?>)
            [
                Text(g, "id"), Text(g, "title"), Text(g, "description"), Text(g, "currency"), Money(g, "amountAwarded"),
                Text(g, "awardDate"), Text(g, "plannedDates/0/startDate"), Text(g, "plannedDates/0/endDate"),
                Text(g, "recipientOrganization/0/id"), Text(g, "recipientOrganization/0/name"), Text(g, "recipientOrganization/0/charityNumber"), Text(g, "recipientOrganization/0/companyNumber"),
                Text(g, "fundingOrganization/0/id"), Text(g, "fundingOrganization/0/name"), Text(g, "grantProgramme/0/code"), Text(g, "grantProgramme/0/title"),
                Money(g, "amountDisbursed"), Text(g, "dateModified"),
            ]));
    }
}

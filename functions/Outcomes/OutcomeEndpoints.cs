using System.Collections.Immutable;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Workflows.Outcomes;

namespace Partnership.Functions.Outcomes;

public sealed record MeasureValueRequest(string? Quarter, decimal? Value, string? Comment);

/// <summary>
/// A measure's baseline, targets (by the financial year they start, "2026"), rule, leads and partners, all given each
/// time; its wording too, or none of it to keep it.
/// </summary>
public sealed record MeasureChangeRequest(
    int? BaselineYear, decimal? Baseline, Dictionary<string, decimal>? Targets, Direction? Direction, YearFigure? YearFigure, decimal? AmberMarginPercent,
    List<MeasureLead>? Leads, List<string>? Partners, string? Priority = null, string? Outcome = null, string? Title = null, string? Description = null);

/// <summary>A new measure: its wording, baseline year and first quarter reported ("2026q3"); targets and leads follow as a change.</summary>
public sealed record MeasureAddRequest(string? Priority, string? Outcome, string? Title, string? Description, int? BaselineYear, string? ReportingFrom);

/// <summary>The outcome framework: read by staff and leads; each quarter's figure given by the measure's leads; changed by coordinators.</summary>
public static class OutcomeEndpoints
{
    public static IEndpointRouteBuilder MapOutcomes(this IEndpointRouteBuilder app)
    {
        var outcomes = app.MapGroup("/api/outcomes").WithTags("Outcome framework").RequireRoles(RoleGroups.OutcomeReaders);

        outcomes.MapGet("", async (OutcomeFramework framework, CancellationToken ct) => TypedResults.Ok(await framework.OverviewAsync(ct)))
            .WithName("ListMeasures");

        outcomes.MapGet("/{measureId}", async Task<Results<Ok<MeasureDetail>, ProblemHttpResult>> (string measureId, HttpContext http, OutcomeFramework framework, CancellationToken ct) =>
        {
            if (await framework.DetailAsync(measureId, ct) is not { } detail)
            {
                return NoSuchMeasure;
            }

            http.Response.Headers.ETag = detail.Stored.Version.ToString("H");
            return TypedResults.Ok(detail);
        }).WithName("GetMeasure");

        outcomes.MapPost("", async Task<IResult> (MeasureAddRequest request, HttpContext http, OutcomeFramework framework, CancellationToken ct) =>
        {
            if (request.BaselineYear is not { } baselineYear)
            {
                return Problems.Field("baselineYear", "Give the baseline year, as the year it starts: 2010 for 2010/11.");
            }

            var (result, id) = await framework.AddAsync(
                http.User.Actor(), new MeasureWording(request.Priority ?? "", request.Outcome ?? "", request.Title ?? "", request.Description ?? ""), baselineYear, request.ReportingFrom, ct);
            return result.Outcome == MeasureOutcome.Done ? TypedResults.Created($"/api/outcomes/{id}", new { measureId = id }) : Answer(result, "/api/outcomes/");
        }).RequireRoles(RoleGroups.Coordinators).WithName("AddMeasure");

        outcomes.MapPost("/{measureId}/values", async (string measureId, MeasureValueRequest request, HttpContext http, OutcomeFramework framework, CancellationToken ct) =>
            Answer(await framework.RecordAsync(http.User.Actor(), measureId, request.Quarter, request.Value, request.Comment, ct), $"/api/outcomes/{measureId}"))
            .WithName("RecordMeasureValue");

        outcomes.MapPut("/{measureId}", async (string measureId, MeasureChangeRequest request, HttpContext http, OutcomeFramework framework, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            RequestRules.Require(errors, nameof(request.BaselineYear), request.BaselineYear is null, "Give the baseline year, as the year it starts: 2010 for 2010/11.");
            RequestRules.Require(errors, nameof(request.Direction), request.Direction is null, "Say whether HigherIsBetter or LowerIsBetter.");
            RequestRules.Require(errors, nameof(request.YearFigure), request.YearFigure is null, "Say whether a year's figure is its LatestQuarter or the TotalOfQuarters.");
            RequestRules.Require(errors, nameof(request.AmberMarginPercent), request.AmberMarginPercent is null, "Give the amber margin, as a percentage of the target.");
            var targets = ImmutableSortedDictionary.CreateBuilder<int, decimal>();
            foreach (var (year, target) in request.Targets ?? [])
            {
                if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y))
                {
                    errors[nameof(request.Targets)] = [$"'{year}' is not a financial year such as 2011 (for 2011/12)."];
                    break;
                }

                targets[y] = target;
            }

            if (errors.Count > 0)
            {
                return Problems.Fields(errors);
            }

            var version = http.Request.Headers.IfMatch.ToString() is { Length: > 0 } match ? new Azure.ETag(match) : (Azure.ETag?)null;
            var worded = new[] { request.Priority, request.Outcome, request.Title, request.Description };
            if (worded.Any(w => w is not null) && worded.Any(w => w is null))
            {
                return Problems.Field("title", "Give the priority, outcome, title and description together, or none of them to keep them.");
            }

            var change = new MeasureChange(
                request.BaselineYear!.Value, request.Baseline, targets.ToImmutable(), new RagRule(request.Direction!.Value, request.YearFigure!.Value, request.AmberMarginPercent!.Value),
                request.Leads is null ? default : [.. request.Leads], request.Partners is null ? default : [.. request.Partners],
                request.Title is null ? null : new MeasureWording(request.Priority!, request.Outcome!, request.Title, request.Description!));
            return Answer(await framework.ChangeAsync(http.User.Actor(), measureId, change, version, ct), $"/api/outcomes/{measureId}");
        }).RequireRoles(RoleGroups.Coordinators).WithName("ChangeMeasure");
        return app;
    }

    private static ProblemHttpResult NoSuchMeasure => TypedResults.Problem(statusCode: 404, title: "No such measure.", detail: "The outcome framework has no measure with this id.");

    private static IResult Answer(MeasureResult result, string location) => result.Outcome switch
    {
        MeasureOutcome.Done => TypedResults.NoContent(),
        MeasureOutcome.NotFound => NoSuchMeasure,
        MeasureOutcome.Forbidden => TypedResults.Problem(statusCode: 403, title: "Not yours to change.", detail: result.Message),
        MeasureOutcome.Conflict => TypedResults.Problem(statusCode: 412, title: "Changed since you read it.", detail: result.Message, extensions: new Dictionary<string, object?> { ["current"] = location }),
        _ => Problems.Field(result.Field!, result.Message!),
    };
}

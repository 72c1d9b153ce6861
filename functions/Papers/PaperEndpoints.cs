using Microsoft.AspNetCore.Http.HttpResults;
using Partnership.Functions.Http;
using Partnership.Functions.Identity;

namespace Partnership.Functions.Papers;

public sealed record MakePaperRequest(PaperKind? Kind, DateOnly? MeetingDate);

/// <summary>Board papers: coordinators make them for a meeting; staff list and download them, with the figures each was made from.</summary>
public static class PaperEndpoints
{
    public static IEndpointRouteBuilder MapPapers(this IEndpointRouteBuilder app)
    {
        var papers = app.MapGroup("/api/papers").WithTags("Board papers");

        papers.MapGet("", async (PaperStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)))
            .RequireRoles(RoleGroups.Staff).WithName("ListPapers");

        papers.MapPost("", async Task<Results<Created<StoredPaper>, ValidationProblem>> (MakePaperRequest request, HttpContext http, PaperMaker maker, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            RequestRules.Require(errors, nameof(request.Kind), request.Kind is null, "Choose the paper: Budget or Progress.");
            RequestRules.Require(errors, nameof(request.MeetingDate), request.MeetingDate is null, "Give the date of the meeting.");
            RequestRules.Date(errors, nameof(request.MeetingDate), request.MeetingDate);
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }

            var paper = await maker.MakeAsync(request.Kind!.Value, request.MeetingDate!.Value, http.User.Identity?.Name ?? http.User.Actor().UserId, ct);
            return TypedResults.Created($"/api/papers/{paper.Id}.docx", paper);
        }).RequireRoles(RoleGroups.Coordinators).WithName("MakePaper");

        papers.MapGet("/{paperId}.docx", async Task<Results<FileStreamHttpResult, ProblemHttpResult>> (string paperId, PaperStore store, CancellationToken ct) =>
            await store.FindAsync(paperId, ct) is { } paper
                ? TypedResults.File(await store.OpenAsync(paperId, false, ct), PaperDocument.ContentType, paper.FileName)
                : NoSuchPaper)
            .RequireRoles(RoleGroups.Staff).WithName("DownloadPaper");

        papers.MapGet("/{paperId}/figures.json", async Task<Results<FileStreamHttpResult, ProblemHttpResult>> (string paperId, PaperStore store, CancellationToken ct) =>
            await store.FindAsync(paperId, ct) is { } paper
                ? TypedResults.File(await store.OpenAsync(paperId, true, ct), "application/json", paper.FileName.Replace(".docx", "-figures.json", StringComparison.Ordinal))
                : NoSuchPaper)
            .RequireRoles(RoleGroups.Staff).WithName("PaperFigures");
        return app;
    }

    private static ProblemHttpResult NoSuchPaper => TypedResults.Problem(statusCode: 404, title: "No such paper.", detail: "No board paper has been made with this id.");
}

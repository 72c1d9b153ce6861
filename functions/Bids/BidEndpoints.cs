using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Bids;

public static class BidEndpoints
{
    public static IEndpointRouteBuilder MapBids(this IEndpointRouteBuilder app)
    {
        var bids = app.MapGroup("/api/bids").WithTags("Bids");

        var readers = bids.MapGroup("").RequireRoles(RoleGroups.BidReaders);
        readers.MapGet("", ListAsync).WithName("ListBids");
        readers.MapGet("/{bidId}", GetAsync).WithName("GetBid");
        readers.MapGet("/{bidId}/commands/{idempotencyKey}", async (string bidId, string idempotencyKey, ClaimsPrincipal user, BidCommandService commands, CancellationToken ct) =>
            Problems.From(await commands.AnswerAsync(bidId, user.Actor(), idempotencyKey, ct), Problems.CommandStatusUrl(bidId, idempotencyKey))).WithName("CommandStatus");

        // Starting a bid is the one command no transition declares: the workflow lets only applicants open one.
        bids.MapPost("", StartAsync).RequireRoles(RoleGroups.Applicants).WithName("StartBid");

        // Every other command endpoint lets in the roles the workflow's transitions for its command declare.
        bids.MapPut("/{bidId}/proposal", (string bidId, ProposalRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            request.Errors() is { Count: > 0 } errors
                ? Task.FromResult<IResult>(Problems.Fields(errors))
                : RunAsync(http, bidId, actor => new EditDraft(actor, request.ToProposal()), commands, ct)).RequireRolesOf(typeof(EditDraft)).WithName("EditProposal");
        bids.MapPost("/{bidId}/submit", (string bidId, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            RunAsync(http, bidId, actor => new Submit(actor), commands, ct)).RequireRolesOf(typeof(Submit)).WithName("SubmitBid");
        bids.MapPost("/{bidId}/resubmit", (string bidId, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            RunAsync(http, bidId, actor => new Resubmit(actor), commands, ct)).RequireRolesOf(typeof(Resubmit)).WithName("ResubmitBid");
        bids.MapPost("/{bidId}/withdrawal", (string bidId, ReasonRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            WithReasonAsync(http, bidId, request, actor => new Withdraw(actor, request.Reason!), commands, ct)).RequireRolesOf(typeof(Withdraw)).WithName("WithdrawBid");

        bids.MapPost("/{bidId}/screening", (string bidId, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            RunAsync(http, bidId, actor => new StartScreening(actor), commands, ct)).RequireRolesOf(typeof(StartScreening)).WithName("StartScreening");
        bids.MapPost("/{bidId}/changes-requested", (string bidId, ChangesRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            WithReasonAsync(http, bidId, new ReasonRequest(request.Reason), actor => new RequestChanges(actor, request.Reason!) { Sections = request.Sections?.ToImmutableDictionary() ?? [] }, commands, ct))
            .RequireRolesOf(typeof(RequestChanges)).WithName("RequestChanges");
        bids.MapPost("/{bidId}/hce-referral", (string bidId, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            RunAsync(http, bidId, actor => new ReferToHce(actor), commands, ct)).RequireRolesOf(typeof(ReferToHce)).WithName("ReferToHce");
        bids.MapPost("/{bidId}/contract/sent", (string bidId, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            RunAsync(http, bidId, actor => new SendContract(actor), commands, ct)).RequireRolesOf(typeof(SendContract)).WithName("SendContract");
        bids.MapPost("/{bidId}/contract/accepted", (string bidId, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            RunAsync(http, bidId, actor => new AcceptSignedContract(actor), commands, ct)).RequireRolesOf(typeof(AcceptSignedContract)).WithName("AcceptSignedContract");
        bids.MapPost("/{bidId}/closing", (string bidId, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            RunAsync(http, bidId, actor => new StartClosing(actor), commands, ct)).RequireRolesOf(typeof(StartClosing)).WithName("StartClosing");
        bids.MapPost("/{bidId}/closure", (string bidId, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            RunAsync(http, bidId, actor => new CloseBid(actor), commands, ct)).RequireRolesOf(typeof(CloseBid)).WithName("CloseBid");

        bids.MapPost("/{bidId}/contract/signed", (string bidId, SignedContractRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            !Ids.IsSafe(request.DocumentId)
                ? Task.FromResult<IResult>(Problems.Field(nameof(request.DocumentId), "Give the id of the signed contract document you uploaded."))
                : RunAsync(http, bidId, actor => new ReturnSignedContract(actor, request.DocumentId), commands, ct))
            .RequireRolesOf(typeof(ReturnSignedContract)).WithName("ReturnSignedContract");

        bids.MapPost("/{bidId}/hce-recommendation", (string bidId, HceRecommendationRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            request.ToCommand(http.User.Actor(), out var errors) is { } command
                ? RunAsync(http, bidId, _ => command, commands, ct)
                : Task.FromResult<IResult>(Problems.Fields(errors)))
            .RequireRolesOf(typeof(RecommendApproval), typeof(DeferDecision), typeof(RecommendRejection)).WithName("RecommendOnBid");

        bids.MapPost("/{bidId}/board-decision", (string bidId, BoardDecisionRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            request.ToCommand(http.User.Actor(), out var errors) is { } command
                ? RunAsync(http, bidId, _ => command, commands, ct)
                : Task.FromResult<IResult>(Problems.Fields(errors)))
            .RequireRolesOf(typeof(ApproveRecommendation), typeof(RejectRecommendation)).WithName("DecideOnBid");

        bids.MapPost("/{bidId}/votes", (string bidId, VoteRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            request.ToCommand(http.User.Actor(), out var errors) is { } command
                ? RunAsync(http, bidId, _ => command, commands, ct)
                : Task.FromResult<IResult>(Problems.Fields(errors)))
            .RequireRolesOf(typeof(CastVote)).WithName("VoteOnMotion");

        bids.MapPost("/{bidId}/chairs-action", (string bidId, ChairsActionRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            string.IsNullOrWhiteSpace(request.MotionId) || !Ids.IsSafe(request.MotionId)
                ? Task.FromResult<IResult>(Problems.Field(nameof(request.MotionId), "Name the motion you decide as chair."))
                : RunAsync(http, bidId, _ => new ActAsChair(http.User.Actor(), request.MotionId), commands, ct))
            .RequireRolesOf(typeof(ActAsChair)).WithName("DecideAsChair");

        bids.MapPost("/{bidId}/meeting-decision", (string bidId, MeetingDecisionRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            request.ToCommand(http.User.Actor(), out var errors) is { } command
                ? RunAsync(http, bidId, _ => command, commands, ct)
                : Task.FromResult<IResult>(Problems.Fields(errors)))
            .RequireRolesOf(typeof(RecordMeetingDecision)).WithName("RecordMeetingDecision");

        bids.MapPost("/{bidId}/purchase-order", (string bidId, PurchaseOrderRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            RequestRules.Require(errors, nameof(request.Number), string.IsNullOrWhiteSpace(request.Number), "Give the purchase order number.");
            RequestRules.Require(errors, nameof(request.Date), request.Date is null, "Give the purchase order date.");
            RequestRules.Require(errors, nameof(request.SupplierReference), string.IsNullOrWhiteSpace(request.SupplierReference), "Give the supplier reference.");
            RequestRules.Length(errors, nameof(request.Number), request.Number, 100);
            RequestRules.Length(errors, nameof(request.SupplierReference), request.SupplierReference, 200);
            return errors.Count > 0
                ? Task.FromResult<IResult>(Problems.Fields(errors))
                : RunAsync(http, bidId, actor => new RecordPurchaseOrder(actor, request.Number!, request.Date!.Value, request.SupplierReference!), commands, ct);
        }).RequireRolesOf(typeof(RecordPurchaseOrder)).WithName("RecordPurchaseOrder");

        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<BidSummary>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, BidIndexProjection index, string? stage, string? fundId, string? organisationId, CancellationToken ct)
    {
        if (Problems.StageFilter(stage, out var stageFilter) is { } badStage)
        {
            return badStage;
        }

        var actor = user.Actor();
        if (actor.Role == Role.Applicant)
        {
            organisationId = actor.OrganisationId ?? "";
        }

        return TypedResults.Ok(await index.ListAsync(fundId, organisationId, stageFilter, ct));
    }

    private static async Task<Results<Ok<BidDetail>, ProblemHttpResult>> GetAsync(string bidId, ClaimsPrincipal user, BidRepository repository, CancellationToken ct)
    {
        var actor = user.Actor();
        var snapshot = await repository.LoadReadableAsync(bidId, actor, ct);
        if (snapshot is null)
        {
            return Problems.NoSuchBid();
        }

        var history = await repository.HistoryAsync(bidId, ct);
        var timeline = history.Select(h => new TimelineEntry(h.Version, h.Event.At, h.Event.By, h.Event.GetType().Name, h.StageAfter, h.Event));
        if (!actor.IsStaff)
        {
            return TypedResults.Ok(new BidDetail(ApplicantView.State(snapshot.State), [.. ApplicantView.Timeline(timeline, snapshot.State, actor)], null));
        }

        var effects = (await repository.OutboxAsync(bidId, ct)).Select(e => new EffectStatus(e.EffectId, e.Effect.GetType().Name, e.Effect, e.CreatedAt, e.DoneAt, e.Attempts, e.LastError, e.FailedAt)).ToList();
        return TypedResults.Ok(new BidDetail(snapshot.State, [.. timeline], effects));
    }

    private static async Task<IResult> StartAsync(StartBidRequest request, HttpContext http, BidCommandService commands, CancellationToken ct)
    {
        var key = Problems.IdempotencyKey(http, out var missingKey);
        if (key is null)
        {
            return missingKey!;
        }

        var errors = request.Proposal?.Errors() ?? new Dictionary<string, string[]> { [nameof(request.Proposal)] = ["Describe the proposal."] };
        RequestRules.Require(errors, nameof(request.FundId), !Ids.IsSafe(request.FundId), "Choose the fund to bid to.");
        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var actor = http.User.Actor();
        var bidId = BidCommandService.NewBidId(actor.UserId, key);
        var result = await commands.StartAsync(new StartBid(actor, bidId, request.FundId!, actor.OrganisationId ?? "", request.Proposal!.ToProposal()), key, ct);
        return result.Outcome == CommandOutcome.Accepted
            ? TypedResults.Created($"/api/bids/{bidId}", new CommandAnswer(bidId, result.Outcome, result.Version, result.Stage, null))
            : Problems.From(result, Problems.CommandStatusUrl(bidId, key));
    }

    private static Task<IResult> WithReasonAsync(HttpContext http, string bidId, ReasonRequest request, Func<Actor, BidCommand> command, BidCommandService commands, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(request.Reason)
            ? Task.FromResult<IResult>(Problems.Field(nameof(request.Reason), "Give a reason."))
            : RunAsync(http, bidId, command, commands, ct);

    internal static async Task<IResult> RunAsync(HttpContext http, string bidId, Func<Actor, BidCommand> command, BidCommandService commands, CancellationToken ct)
    {
        var key = Problems.IdempotencyKey(http, out var missingKey);
        return key is null ? missingKey! : Problems.From(await commands.ExecuteAsync(bidId, command(http.User.Actor()), key, ct), Problems.CommandStatusUrl(bidId, key));
    }
}

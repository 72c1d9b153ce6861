using Partnership.Functions.Bids;
using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Grants;

/// <summary>Monitoring a grant: quarterly returns, instalments and payments, variations.</summary>
public static class GrantEndpoints
{
    public static IEndpointRouteBuilder MapGrants(this IEndpointRouteBuilder app)
    {
        var grants = app.MapGroup("/api/bids/{bidId}").WithTags("Monitoring");

        grants.MapPost("/returns/{quarter}", (string bidId, string quarter, ReturnRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            request.ToReport(out var errors) is { } report
                ? BidEndpoints.RunAsync(http, bidId, actor => new SubmitReturn(actor, quarter, report), commands, ct)
                : Task.FromResult<IResult>(Problems.Fields(errors)))
            .RequireRolesOf(typeof(SubmitReturn)).WithName("SubmitReturn");

        grants.MapPost("/returns/{quarter}/acceptance", (string bidId, string quarter, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            BidEndpoints.RunAsync(http, bidId, actor => new AcceptReturn(actor, quarter), commands, ct)).RequireRolesOf(typeof(AcceptReturn)).WithName("AcceptReturn");
        grants.MapPost("/returns/{quarter}/changes-requested", (string bidId, string quarter, ReasonRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            string.IsNullOrWhiteSpace(request.Reason)
                ? Task.FromResult<IResult>(Problems.Field(nameof(request.Reason), "Say what needs changing."))
                : BidEndpoints.RunAsync(http, bidId, actor => new SendBackReturn(actor, quarter, request.Reason), commands, ct)).RequireRolesOf(typeof(SendBackReturn)).WithName("SendBackReturn");
        grants.MapPost("/instalments/{number:int}/hold", (string bidId, int number, HoldRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            !FinancialQuarter.TryParse(request.Quarter, out _) || number is < 1 or > 48
                ? Task.FromResult<IResult>(Problems.Field(nameof(request.Quarter), "Name the return the instalment waits for, e.g. 2011q2."))
                : BidEndpoints.RunAsync(http, bidId, actor => new HoldInstalment(actor, number, request.Quarter), commands, ct)).RequireRolesOf(typeof(HoldInstalment)).WithName("HoldInstalment");
        grants.MapPost("/variations", (string bidId, VariationRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            request.ToVariation(out var errors) is { } variation
                ? BidEndpoints.RunAsync(http, bidId, actor => new ProposeVariation(actor, variation), commands, ct)
                : Task.FromResult<IResult>(Problems.Fields(errors))).RequireRolesOf(typeof(ProposeVariation)).WithName("ProposeVariation");

        grants.MapPost("/variations/decision", (string bidId, VariationDecisionRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            request.Agree is not { } agree
                ? Task.FromResult<IResult>(Problems.Field(nameof(request.Agree), "Say whether HCE agrees (true) or declines (false)."))
                : BidEndpoints.RunAsync(http, bidId, actor => new DecideVariation(actor, agree, request.Reason), commands, ct))
            .RequireRolesOf(typeof(DecideVariation)).WithName("DecideVariation");

        grants.MapPut("/instalments", (string bidId, IReadOnlyList<InstalmentRequest> request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
            request.ToInstalments(out var errors) is { Count: > 0 } instalments
                ? BidEndpoints.RunAsync(http, bidId, actor => new SetInstalments(actor, instalments), commands, ct)
                : Task.FromResult<IResult>(Problems.Fields(errors.Count > 0 ? errors : new() { ["instalments"] = ["Give at least one instalment."] })))
            .RequireRolesOf(typeof(SetInstalments)).WithName("SetInstalments");

        grants.MapPost("/payments", (string bidId, PaymentRequest request, HttpContext http, BidCommandService commands, CancellationToken ct) =>
        {
            var errors = new Dictionary<string, string[]>();
            RequestRules.Require(errors, nameof(request.Instalment), request.Instalment is null, "Say which instalment this pays.");
            RequestRules.Require(errors, nameof(request.PaidOn), request.PaidOn is null, "Give the date it was paid.");
            RequestRules.Require(errors, nameof(request.Reference), string.IsNullOrWhiteSpace(request.Reference), "Give the payment reference.");
            RequestRules.Require(errors, nameof(request.Instalment), request.Instalment is < 1 or > 48, "Instalments are numbered from 1 to 48.");
            RequestRules.Amount(errors, nameof(request.Revenue), request.Revenue);
            RequestRules.Amount(errors, nameof(request.Capital), request.Capital);
            RequestRules.Length(errors, nameof(request.Reference), request.Reference, 200);
            return errors.Count > 0
                ? Task.FromResult<IResult>(Problems.Fields(errors))
                : BidEndpoints.RunAsync(http, bidId, actor => new RecordPayment(actor, request.Instalment!.Value, new Funding(request.Revenue ?? 0m, request.Capital ?? 0m), request.PaidOn!.Value, request.Reference!), commands, ct);
        }).RequireRolesOf(typeof(RecordPayment)).WithName("RecordPayment");
        return app;
    }
}

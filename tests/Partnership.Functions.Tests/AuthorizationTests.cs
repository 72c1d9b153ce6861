using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Routing;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Tests.Support;
using Partnership.Workflows;
using static Partnership.Functions.Tests.Support.Bids;

namespace Partnership.Functions.Tests;

public class AuthorizationTests(AzuriteFixture azurite)
{
    private static readonly Role[] Everyone = [Role.Applicant, Role.Coordinator, Role.HceMember, Role.BoardMember, Role.FinanceOfficer, Role.Auditor, Role.OutcomeLead];
    private static readonly Role[] Staff = [Role.Coordinator, Role.HceMember, Role.BoardMember, Role.FinanceOfficer, Role.Auditor];
    private static readonly Role[] BidReaders = [Role.Applicant, .. Staff];
    private static readonly Role[] OutcomeReaders = [.. Staff, Role.OutcomeLead];

    /// <summary>Endpoints no role opens: they trust only their own signature, which the walk does not send.</summary>
    private static readonly Role[] SignedOnly = [];

    /// <summary>Who may call what, written out here; null means anyone, signed in or not.</summary>
    private static readonly Dictionary<string, Role[]?> Expected = new()
    {
        ["GET /health"] = null,
        ["GET /openapi/{documentName}.json"] = null,
        ["GET /"] = null,
        ["GET /sign-in"] = null,
        ["GET /sign-in/email"] = null,
        ["POST /sign-in/email"] = null,
        ["GET /sign-in/email/{token}"] = null,
        ["POST /sign-in/email/{token}"] = null,
        ["GET /sign-in/staff"] = null,
        ["GET /sign-in/refused"] = null,
        ["GET /no-access"] = Everyone,
        ["GET /sign-out"] = null,
        ["POST /sign-out"] = null,
        ["GET /audit/sign-ins"] = [Role.Auditor],
        ["GET /applicant"] = [Role.Applicant],
        ["GET /organisations/register"] = [Role.Applicant],
        ["GET /organisation"] = [Role.Applicant],
        ["POST /organisation"] = [Role.Applicant],
        ["POST /organisations/register"] = [Role.Applicant],
        ["GET /organisations/choose"] = [Role.Applicant],
        ["POST /organisations/choose"] = [Role.Applicant],
        ["GET /bids/start/{fundId}"] = [Role.Applicant],
        ["POST /bids/start/{fundId}"] = [Role.Applicant],
        ["GET /bids"] = Staff,
        ["GET /bids/{bidId}"] = Everyone,
        ["POST /bids/{bidId}"] = Everyone,
        ["GET /bids/{bidId}/project"] = [Role.Applicant],
        ["POST /bids/{bidId}/project"] = [Role.Applicant],
        ["GET /bids/{bidId}/case/{section}"] = [Role.Applicant],
        ["POST /bids/{bidId}/case/{section}"] = [Role.Applicant],
        ["GET /bids/{bidId}/documents"] = Everyone,
        ["POST /bids/{bidId}/documents"] = Everyone,
        ["GET /bids/{bidId}/submit"] = [Role.Applicant],
        ["GET /bids/{bidId}/variation"] = [Role.Coordinator],
        ["POST /bids/{bidId}/variation"] = [Role.Coordinator],
        ["POST /bids/{bidId}/submit"] = [Role.Applicant],
        ["GET /bids/{bidId}/returns/{quarter}"] = [Role.Applicant],
        ["POST /bids/{bidId}/returns/{quarter}"] = [Role.Applicant],
        ["GET /coordinator"] = [Role.Coordinator],
        ["GET /coordinator/budget"] = Staff,
        ["GET /coordinator/spend"] = Staff,
        ["GET /coordinator/papers"] = Staff,
        ["POST /coordinator/papers"] = Staff,
        ["GET /coordinator/contracts"] = Staff,
        ["GET /coordinator/funds/{fundId}"] = [Role.Coordinator],
        ["POST /coordinator/funds/{fundId}"] = [Role.Coordinator],
        ["GET /coordinator/funds/{fundId}/bodies/{body}"] = [Role.Coordinator],
        ["GET /coordinator/funds/{fundId}/meetings/{body}"] = [Role.Coordinator],
        ["POST /coordinator/funds/{fundId}/meetings/{body}"] = [Role.Coordinator],
        ["POST /coordinator/funds/{fundId}/bodies/{body}"] = [Role.Coordinator],
        ["GET /interests"] = [Role.HceMember, Role.BoardMember],
        ["POST /interests"] = [Role.HceMember, Role.BoardMember],
        ["GET /interests/add"] = [Role.HceMember, Role.BoardMember],
        ["POST /interests/add"] = [Role.HceMember, Role.BoardMember],
        ["GET /audit/interests"] = [Role.Coordinator, Role.Auditor],
        ["GET /api/funds/{fundId}/bodies/"] = Staff,
        ["PUT /api/funds/{fundId}/bodies/{body}"] = [Role.Coordinator],
        ["GET /api/interests"] = [Role.Coordinator, Role.Auditor],
        ["GET /api/members/me/interests/"] = [Role.HceMember, Role.BoardMember],
        ["POST /api/members/me/interests/"] = [Role.HceMember, Role.BoardMember],
        ["POST /api/members/me/interests/reviewed"] = [Role.HceMember, Role.BoardMember],
        ["GET /decisions"] = [Role.HceMember, Role.BoardMember],
        ["GET /finance"] = [Role.Coordinator, Role.FinanceOfficer, Role.Auditor],
        ["GET /dev/sign-in"] = null,
        ["POST /dev/sign-in"] = null,
        ["GET /dev/outbox"] = null,
        ["GET /dev/storage-calls"] = null,
        ["GET /decisions/{token}"] = null,
        ["POST /webhooks/sendgrid/events"] = SignedOnly,
        ["POST /webhooks/sendgrid/inbound/{secret}"] = null,
        ["POST /decisions/{token}"] = null,
        ["GET /decisions/{token}/documents/{documentId}"] = null,
        ["GET /api/me"] = Everyone,
        ["GET /api/me/preferences/"] = Everyone,
        ["PUT /api/me/preferences/"] = Everyone,
        ["GET /api/bids/{bidId}/messages"] = [Role.Coordinator],
        ["GET /api/bids/{bidId}/commands/{idempotencyKey}"] = BidReaders,
        ["GET /teams/tab"] = null,
        ["GET /me/preferences"] = Everyone,
        ["POST /me/preferences"] = Everyone,
        ["GET /api/funds/"] = BidReaders,
        ["GET /api/funds/{fundId}"] = BidReaders,
        ["GET /api/funds/{fundId}/budget-lines"] = Staff,
        ["PUT /api/funds/{fundId}/deadlines/{stage}"] = [Role.Coordinator],
        ["POST /api/funds/{fundId}/budget-lines"] = [Role.Coordinator],
        ["PUT /api/funds/{fundId}/monitoring"] = [Role.Coordinator],
        ["POST /api/bids/{bidId}/returns/{quarter}"] = [Role.Applicant],
        ["POST /api/bids/{bidId}/returns/{quarter}/acceptance"] = [Role.Coordinator],
        ["POST /api/bids/{bidId}/returns/{quarter}/changes-requested"] = [Role.Coordinator],
        ["POST /api/bids/{bidId}/instalments/{number:int}/hold"] = [Role.Coordinator],
        ["PUT /api/bids/{bidId}/instalments"] = [Role.Coordinator, Role.FinanceOfficer],
        ["POST /api/bids/{bidId}/payments"] = [Role.FinanceOfficer],
        ["POST /api/bids/{bidId}/variations"] = [Role.Coordinator],
        ["POST /api/bids/{bidId}/variations/decision"] = [Role.HceMember],
        ["GET /api/reports/budget-summary"] = Staff,
        ["GET /api/reports/meetings/{fundId}/{body}/{held}.csv"] = Staff,
        ["GET /api/reports/meetings/{fundId}/{body}/{held}.xlsx"] = Staff,
        ["GET /api/reports/meetings/{fundId}/{body}/{held}.docx"] = Staff,
        ["GET /api/reports/budget-summary.csv"] = Staff,
        ["GET /api/reports/budget-summary.xlsx"] = Staff,
        ["GET /api/reports/spend-monitoring"] = Staff,
        ["GET /api/reports/spend-monitoring.csv"] = Staff,
        ["GET /api/reports/spend-monitoring.xlsx"] = Staff,
        ["GET /api/reports/contract-status"] = Staff,
        ["GET /api/reports/contract-status.csv"] = Staff,
        ["GET /api/reports/contract-status.xlsx"] = Staff,
        ["GET /api/reports/returns"] = Staff,
        ["GET /api/reports/returns.csv"] = Staff,
        ["GET /api/reports/returns.xlsx"] = Staff,
        ["GET /api/reports/bids.csv"] = Staff,
        ["GET /api/reports/bids.xlsx"] = Staff,
        ["GET /api/open-data/360giving.json"] = Staff,
        ["GET /api/open-data/360giving.csv"] = Staff,
        ["GET /api/papers/"] = Staff,
        ["GET /api/outcomes/"] = OutcomeReaders,
        ["GET /api/outcomes/framework.csv"] = OutcomeReaders,
        ["GET /api/outcomes/framework.xlsx"] = OutcomeReaders,
        ["GET /api/outcomes/{measureId}/figures.csv"] = OutcomeReaders,
        ["GET /api/outcomes/{measureId}/figures.xlsx"] = OutcomeReaders,
        ["GET /api/reports/sign-ins.csv"] = [Role.Auditor],
        ["GET /api/reports/sign-ins.xlsx"] = [Role.Auditor],
        ["GET /api/reports/purchase-orders.csv"] = [Role.Coordinator, Role.FinanceOfficer, Role.Auditor],
        ["GET /api/reports/purchase-orders.xlsx"] = [Role.Coordinator, Role.FinanceOfficer, Role.Auditor],
        ["GET /api/reports/instalments.csv"] = [Role.Coordinator, Role.FinanceOfficer, Role.Auditor],
        ["GET /api/reports/instalments.xlsx"] = [Role.Coordinator, Role.FinanceOfficer, Role.Auditor],
        ["GET /api/reports/decisions.csv"] = [Role.HceMember, Role.BoardMember],
        ["GET /api/reports/decisions.xlsx"] = [Role.HceMember, Role.BoardMember],
        ["GET /api/outcomes/{measureId}"] = OutcomeReaders,
        ["POST /api/outcomes/{measureId}/values"] = OutcomeReaders,
        ["PUT /api/outcomes/{measureId}"] = [Role.Coordinator],
        ["POST /api/outcomes/"] = [Role.Coordinator],
        ["GET /outcomes/add"] = [Role.Coordinator],
        ["GET /outcomes/reminders"] = [Role.Coordinator],
        ["POST /outcomes/reminders"] = [Role.Coordinator],
        ["POST /outcomes/add"] = [Role.Coordinator],
        ["GET /outcomes"] = OutcomeReaders,
        ["GET /outcomes/{measureId}"] = OutcomeReaders,
        ["GET /outcomes/{measureId}/record"] = OutcomeReaders,
        ["POST /outcomes/{measureId}/record"] = OutcomeReaders,
        ["GET /outcomes/{measureId}/change"] = [Role.Coordinator],
        ["POST /outcomes/{measureId}/change"] = [Role.Coordinator],
        ["POST /api/papers/"] = [Role.Coordinator],
        ["GET /api/papers/{paperId}.docx"] = Staff,
        ["GET /api/papers/{paperId}/figures.json"] = Staff,
        ["POST /api/reports/rebuild"] = [Role.Coordinator],
        ["GET /api/organisations/"] = Staff,
        ["GET /api/organisations/{organisationId}"] = BidReaders,
        ["POST /api/organisations/"] = [Role.Applicant],
        ["GET /api/bids/"] = BidReaders,
        ["GET /api/bids/{bidId}"] = BidReaders,
        ["POST /api/bids/"] = [Role.Applicant],
        ["PUT /api/bids/{bidId}/proposal"] = [Role.Applicant],
        ["POST /api/bids/{bidId}/submit"] = [Role.Applicant],
        ["POST /api/bids/{bidId}/resubmit"] = [Role.Applicant],
        ["POST /api/bids/{bidId}/withdrawal"] = [Role.Applicant],
        ["POST /api/bids/{bidId}/screening"] = [Role.Coordinator],
        ["POST /api/bids/{bidId}/votes"] = [Role.HceMember, Role.BoardMember],
        ["POST /api/bids/{bidId}/chairs-action"] = [Role.HceMember, Role.BoardMember],
        ["POST /api/bids/{bidId}/meeting-decision"] = [Role.Coordinator],
        ["POST /api/bids/{bidId}/changes-requested"] = [Role.Coordinator],
        ["POST /api/bids/{bidId}/hce-referral"] = [Role.Coordinator],
        ["POST /api/bids/{bidId}/contract/sent"] = [Role.Coordinator],
        ["POST /api/bids/{bidId}/contract/accepted"] = [Role.Coordinator],
        ["POST /api/bids/{bidId}/closing"] = [Role.Coordinator],
        ["POST /api/bids/{bidId}/closure"] = [Role.Coordinator],
        ["POST /api/bids/{bidId}/contract/signed"] = [Role.Applicant, Role.Coordinator],
        ["POST /api/bids/{bidId}/hce-recommendation"] = [Role.HceMember],
        ["POST /api/bids/{bidId}/board-decision"] = [Role.BoardMember],
        ["POST /api/bids/{bidId}/purchase-order"] = [Role.FinanceOfficer],
        ["GET /api/bids/{bidId}/documents/"] = BidReaders,
        ["GET /api/bids/{bidId}/documents/{documentId}/content"] = BidReaders,
        ["POST /api/bids/{bidId}/documents/"] = [Role.Applicant, Role.Coordinator],
        ["POST /api/bids/{bidId}/documents/{documentId}/versions"] = [Role.Applicant, Role.Coordinator],
    };

    /// <summary>Every route with each method it answers: a page's methods are its handlers'.</summary>
    private static List<(string Method, string Pattern)> Endpoints(AppFactory app) =>
        [.. app.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => Methods(e).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))];

    private static IEnumerable<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>() is { } page
            ? page.HandlerMethods.Count == 0 ? ["GET"] : page.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).Distinct()
            : endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];

    private static string Url(string pattern, string bidId) => pattern
        .Replace("{bidId}", bidId, StringComparison.Ordinal)
        .Replace("{fundId}", AppFactory.Fund, StringComparison.Ordinal)
        .Replace("{stage}", "HceRecommendation", StringComparison.Ordinal)
        .Replace("{organisationId}", AppFactory.Organisation, StringComparison.Ordinal)
        .Replace("{documentId}", "doc-none", StringComparison.Ordinal)
        .Replace("{quarter}", "2026q2", StringComparison.Ordinal)
        .Replace("{token}", "not-a-token", StringComparison.Ordinal)
        .Replace("{number:int}", "2", StringComparison.Ordinal)
        .Replace("{documentName}", "v1", StringComparison.Ordinal)
        .Replace("{section}", "funding", StringComparison.Ordinal)
        .Replace("{paperId}", "paper-none", StringComparison.Ordinal)
        .Replace("{measureId}", "OM99", StringComparison.Ordinal)
        .Replace("{body}", "board", StringComparison.Ordinal)
        .Replace("{held}", "2026-11-23", StringComparison.Ordinal)
        .Replace("{idempotencyKey}", "key-1", StringComparison.Ordinal);

    /// <summary>The one page a person signed in without a role may open: it tells them so.</summary>
    private const string NoRolePage = "GET /no-access";

    [Fact]
    public async Task Every_endpoint_declares_its_roles_and_every_role_is_let_in_or_refused_accordingly()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var callers = Everyone.Select(r => new Caller(r.ToString(), r, () => app.ClientFor(AppFactory.UserFor(r))));
        await WalkAsync(app, callers.Prepend(new Caller("anonymous", null, () => app.ClientFor(null))));
    }

    [Fact]
    public async Task The_walk_holds_with_Entra_ID_tokens_for_every_staff_role_and_for_a_token_without_one()
    {
        await using var issuer = await TestIssuer.StartAsync();
        await using var app = new AppFactory(azurite, TestIssuer.Trust, issuer.Settings);
        await app.SeedAsync();
        // Not following redirects: the staff sign-in's challenge points at the issuer, which the test server would answer as one of its own paths.
        HttpClient Client() => app.CreateClient(new() { AllowAutoRedirect = false });
        HttpClient Bearer(params string[] appRoles)
        {
            var client = Client();
            var account = new StaffAccount(TestIssuer.Council, Guid.NewGuid().ToString(), "Staff", "staff@council.example.gov.uk", appRoles);
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", issuer.Token(account));
            return client;
        }

        var callers = Staff.Select(r => new Caller($"{r} token", r, () => Bearer(r.ToString())));
        await WalkAsync(app, callers.Prepend(new Caller("token without a role", null, () => Bearer(), SignedIn: true)).Prepend(new Caller("anonymous", null, Client)));
    }

    private sealed record Caller(string Name, Role? Role, Func<HttpClient> Client, bool SignedIn = false);

    private static async Task WalkAsync(AppFactory app, IEnumerable<Caller> callers)
    {
        var endpoints = Endpoints(app);
        Assert.Equal(Expected.Keys.Order(), endpoints.Select(e => $"{e.Method} {e.Pattern}").Order());

        var failures = new List<string>();
        foreach (var (method, pattern) in endpoints)
        {
            var allowed = Expected[$"{method} {pattern}"];
            foreach (var caller in callers)
            {
                using var client = caller.Client();
                using var request = new HttpRequestMessage(new HttpMethod(method), Url(pattern, "no-such-bid"));
                if (method is "POST" or "PUT")
                {
                    request.Content = pattern.EndsWith("/instalments", StringComparison.Ordinal) ? JsonContent.Create(Array.Empty<object>())
                        : pattern.Contains("/documents", StringComparison.Ordinal)
                        ? new MultipartFormDataContent { { new ByteArrayContent(Pdf), "file", "a.pdf" }, { new StringContent("Budget"), "kind" } }
                        : JsonContent.Create(new { });
                    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                }

                var status = (await client.SendAsync(request)).StatusCode;
                if ((int)status >= 500)
                {
                    failures.Add($"{method} {pattern} as {caller.Name}: failed with {(int)status}");
                }

                var signedIn = caller.Role is not null || caller.SignedIn;
                var expected = allowed == SignedOnly ? "403"
                    : allowed is null || (caller.Role is { } held && allowed.Contains(held)) || (caller.SignedIn && $"{method} {pattern}" == NoRolePage) ? "let in"
                    : signedIn ? "403" : "401";
                var actual = status switch
                {
                    HttpStatusCode.Unauthorized => "401",
                    HttpStatusCode.Forbidden => "403",
                    _ => "let in",
                };
                if (expected != actual)
                {
                    failures.Add($"{method} {pattern} as {caller.Name}: expected {expected}, got {(int)status}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task No_get_changes_anything_whoever_asks()
    {
        await using var app = new AppFactory(azurite);
        await app.SeedAsync();
        var bidId = await SubmittedAsync(app);
        await DrainAsync(app);
        var before = await FingerprintAsync(app);

        foreach (var (method, pattern) in Endpoints(app).Where(e => e.Method == "GET"))
        {
            foreach (var user in AppFactory.Users.Select(u => u.Id).Append(null))
            {
                using var client = app.ClientFor(user);
                await client.GetAsync(Url(pattern, bidId));
            }
        }

        await DrainAsync(app);
        Assert.Equal(before, await FingerprintAsync(app));
    }

    /// <summary>Every row (with its ETag) of every table and every blob (with its ETag).</summary>
    private static async Task<string> FingerprintAsync(AppFactory app)
    {
        var storage = app.Get<Storage>();
        var rows = new List<string>();
        foreach (var table in new[] { storage.Bids, storage.BidIndex, storage.Funds, storage.Organisations, storage.Users, storage.Messages, storage.Outcomes })
        {
            await foreach (var row in table.QueryAsync<TableEntity>())
            {
                rows.Add($"{table.Name}/{row.PartitionKey}/{row.RowKey}/{row.ETag}");
            }
        }

        await foreach (var blob in storage.Documents.GetBlobsAsync())
        {
            rows.Add($"{blob.Name}/{blob.Properties.ETag}");
        }

        Assert.NotEmpty(rows);
        return string.Join('\n', rows.Order(StringComparer.Ordinal));
    }
}

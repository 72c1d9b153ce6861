using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Tests.Support;

/// <summary>What the tests do to bids through the HTTP API, and how they wait for the bids' orchestrations to settle.</summary>
public static class Bids
{
    public static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    public static object Proposal(string title = "Top Families Project", decimal revenue = 55_000m, decimal capital = 0m) =>
        new { fundId = AppFactory.Fund, proposal = ProposalBody(title, revenue, capital) };

    public static object ProposalBody(string title = "Top Families Project", decimal revenue = 55_000m, decimal capital = 0m) => new
    {
        title,
        summary = "Evaluation, mapping and training for the Top Families pilot.",
        requestedRevenue = revenue,
        requestedCapital = capital,
        grantStart = "2027-01-01",
        grantEnd = "2027-12-31",
        businessCase = BusinessCase(revenue, capital),
    };

    /// <summary>A proposal with a complete business case whose cost lines add up to <paramref name="amount"/>, as the workflow takes it.</summary>
    public static BidProposal CompleteProposal(string title, Funding amount, DateOnly grantStart, DateOnly grantEnd) =>
        new(title, "Evaluation, mapping and training.", amount, grantStart, grantEnd)
        {
            Case = new BusinessCase
            {
                StrategicLead = new("Catherine Doran", "Corporate Director Children's Services", "catherine.doran@harrow.example.org"),
                ProjectCoordinator = new("Jodie Darge", "Children's Service Commissioner", "jodie.darge@harrow.example.org"),
                Need = "Families with multiple and complex problems.",
                Activities = "Evaluation, mapping and training.",
                Priorities = ["Effective Joint Working"],
                Costs = [.. new[] { new CostLine("Project delivery", "", FundingType.Revenue, "2026/27", amount.Revenue), new CostLine("Equipment", "", FundingType.Capital, "2026/27", amount.Capital) }.Where(c => c.Amount > 0m)],
                Outcomes = [new("Pilot families identified", "Families mapped", "0", "25", grantEnd)],
                Milestones = [new("March 2027", "Pilot group identified")],
                Risks = [new("Data sharing is withdrawn", RiskLevel.Low, RiskLevel.High, "Agreements signed by every agency")],
            },
        };

    /// <summary>The same complete business case as the API takes it.</summary>
    public static object BusinessCase(decimal revenue, decimal capital) => new
    {
        strategicLead = new { name = "Catherine Doran", role = "Corporate Director Children's Services", email = "catherine.doran@harrow.example.org" },
        projectCoordinator = new { name = "Jodie Darge", role = "Children's Service Commissioner", email = "jodie.darge@harrow.example.org" },
        need = "Families with multiple and complex problems.",
        activities = "Evaluation, mapping and training.",
        priorities = new[] { "Effective Joint Working" },
        phases = new[] { "Design & Development" },
        costs = new[] { new { item = "Project delivery", description = "", type = "Revenue", financialYear = "2026/27", amount = revenue }, new { item = "Equipment", description = "", type = "Capital", financialYear = "2026/27", amount = capital } }.Where(c => c.amount > 0m),
        otherFunding = Array.Empty<object>(),
        outcomes = new[] { new { description = "Pilot families identified", measure = "Families mapped", baseline = "0", target = "25", by = "2027-12-31" } },
        milestones = new[] { new { timescale = "March 2027", achievement = "Pilot group identified" } },
        risks = new[] { new { description = "Data sharing is withdrawn", likelihood = "Low", impact = "High", mitigation = "Agreements signed by every agency" } },
    };

    public static async Task<string> StartAsync(HttpClient applicant, string title = "Top Families Project")
    {
        var created = await applicant.CommandAsync("/api/bids", Proposal(title)).Ok();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bidId").GetString()!;
    }

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string bidId, string kind, byte[] content, string fileName, string? documentId = null, string? key = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(kind), "kind");
        using var request = new HttpRequestMessage(HttpMethod.Post, documentId is null ? $"/api/bids/{bidId}/documents" : $"/api/bids/{bidId}/documents/{documentId}/versions") { Content = form };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    public static async Task<string> UploadOkAsync(HttpClient client, string bidId, string kind, byte[]? content = null, string fileName = "document.pdf")
    {
        var response = await UploadAsync(client, bidId, kind, content ?? Pdf, fileName);
        await Task.FromResult(response).Ok();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documentId").GetString()!;
    }

    /// <summary>A bid submitted by the Kids Can Achieve applicant, now in screening.</summary>
    public static async Task<string> SubmittedAsync(AppFactory app)
    {
        var applicant = app.ClientFor("applicant-kca");
        var bidId = await StartAsync(applicant);
        await UploadOkAsync(applicant, bidId, "BusinessCase");
        await applicant.CommandAsync($"/api/bids/{bidId}/submit").Ok();
        return bidId;
    }

    /// <summary>HCE recommends: "hce" proposes the motion, and "hce-2" agrees it, as the test fund's HCE of two must both.</summary>
    public static async Task HceRecommendsAsync(AppFactory app, string bidId, object recommendation)
    {
        await app.ClientFor("hce").CommandAsync($"/api/bids/{bidId}/hce-recommendation", recommendation).Ok();
        await AgreeAsync(app, bidId, "hce-2");
    }

    /// <summary>The Board agrees the recommendation before it: both members of the test fund's Board.</summary>
    public static Task BoardAgreesAsync(AppFactory app, string bidId) => AgreeAsync(app, bidId, "board-chair", "board");

    /// <summary>Each member in turn agrees the motion before their body on the bid.</summary>
    public static async Task AgreeAsync(AppFactory app, string bidId, params string[] members)
    {
        ArgumentNullException.ThrowIfNull(members);
        foreach (var member in members)
        {
            await app.ClientFor(member).CommandAsync($"/api/bids/{bidId}/votes", new { motionId = await MotionAsync(app, bidId), vote = "Agrees" }).Ok();
        }
    }

    public static async Task<string> MotionAsync(AppFactory app, string bidId) =>
        (await StateAsync(app, bidId)).PendingMotion?.Id ?? throw new InvalidOperationException($"Bid {bidId} has no motion before a body.");

    public static async Task<BidState> StateAsync(AppFactory app, string bidId) =>
        (await app.Get<BidRepository>().LoadAsync(bidId, CancellationToken.None))!.State;

    public static async Task<JsonElement> DetailAsync(HttpClient client, string bidId) =>
        await (await client.GetAsync($"/api/bids/{bidId}").Ok()).Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>
    /// Waits until every bid's orchestration waits for its next command and every effect is done or has failed
    /// for good: what the tests assert on is then settled.
    /// </summary>
    public static async Task DrainAsync(AppFactory app)
    {
        var engine = app.Get<DurableTaskClient>();
        var bids = app.Get<Storage>().Bids;
        var settledRounds = 0;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (settledRounds < 2)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "The bids did not settle within a minute.");
            var busy = false;
            await foreach (var instance in engine.GetAllInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = true }))
            {
                busy |= instance.RuntimeStatus is OrchestrationRuntimeStatus.Pending
                    || instance.RuntimeStatus is OrchestrationRuntimeStatus.Running && instance.ReadCustomStatusAs<string>() != BidOrchestration.Waiting;
            }

            if (!busy)
            {
                await foreach (var effect in bids.QueryAsync<TableEntity>("RowKey ge 'fx-' and RowKey lt 'fx.'", select: ["DoneAt", "FailedAt"]))
                {
                    busy |= !effect.ContainsKey("DoneAt") && !effect.ContainsKey("FailedAt");
                }
            }

            settledRounds = busy ? 0 : settledRounds + 1;
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Moves the clock and fires every bid's deadlines that it reached, as each bid's orchestration does when a
    /// durable timer fires, then waits for their effects. Answers how many fired.
    /// </summary>
    public static async Task<int> AdvanceAndFireAsync(AppFactory app, TimeSpan by)
    {
        app.Clock.Advance(by);
        return await FireDueAsync(app);
    }

    public static async Task<int> FireDueAsync(AppFactory app)
    {
        var commands = app.Get<BidCommandService>();
        var fired = 0;
        await foreach (var row in app.Get<Storage>().Bids.QueryAsync<TableEntity>("RowKey eq 'state'", select: ["PartitionKey"]))
        {
            fired += await commands.FireDueTimersAsync(row.PartitionKey, CancellationToken.None);
        }

        await DrainAsync(app);
        return fired;
    }
}

public static class PlantedBids
{
    /// <summary>
    /// Writes a bid straight into the store at the Board approval stage, HCE having recommended <paramref name="amount"/>,
    /// so that tests about money need not walk a hundred bids through the earlier stages.
    /// </summary>
    /// <summary>The test fund's Board as the directory makes it: its two Board members, the chair among them.</summary>
    public static readonly DecisionBody TestBoard = new(BodyKind.Board, ["board", "board-chair"], "board-chair", null, BodyRules.Defaults with { QuorumMinimum = 2 });

    /// <summary>A bid HCE recommended for <paramref name="amount"/> from <paramref name="line"/>, the Board's motion put and nobody yet voted.</summary>
    public static async Task<string> AwaitingBoardAsync(AppFactory app, Partnership.Workflows.Funding amount, string title, DateOnly? grantStart = null, DateOnly? grantEnd = null, string line = AppFactory.Line, string organisation = AppFactory.Organisation)
    {
        var bidId = Guid.NewGuid().ToString("N");
        var now = app.Clock.GetUtcNow();
        var state = new BidState
        {
            BidId = bidId,
            FundId = AppFactory.Fund,
            OrganisationId = organisation,
            ApplicantUserId = "applicant-kca",
            DefinitionVersion = BidWorkflowDefinition.CurrentVersion,
            Proposal = new BidProposal(title, "Planted for a test.", amount, grantStart ?? new DateOnly(2027, 1, 1), grantEnd ?? new DateOnly(2027, 12, 31)),
            CreatedAt = now,
            StageEnteredAt = now,
            Stage = BidStage.BoardApproval,
            Version = 1,
            Recommendation = new Recommendation(RecommendationKind.Approve, amount, null, null, null, "hce", now, line),
            DecisionDueAt = now.AddDays(14),
            Motions = [Motion.Open("board-1", TestBoard, new MotionTerms(RecommendationKind.Approve, amount, line, null), "hce", now, now.AddDays(14), System.Collections.Immutable.ImmutableDictionary<string, string>.Empty)],
        };
        await app.Get<BidRepository>().SaveUnorchestratedAsync(state, now, CancellationToken.None);
        await app.Get<BidIndexProjection>().ProjectAsync(state, CancellationToken.None);
        return bidId;
    }

    /// <summary>A planted bid taken on through the API: approved on the test line, contract signed and accepted, purchase order raised.</summary>
    public static async Task<string> InMonitoringAsync(AppFactory app, Partnership.Workflows.Funding amount, string title, DateOnly grantStart, DateOnly grantEnd)
    {
        var bidId = await AwaitingBoardAsync(app, amount, title, grantStart, grantEnd);
        await Bids.BoardAgreesAsync(app, bidId);
        var coordinator = app.ClientFor("coordinator");
        await coordinator.CommandAsync($"/api/bids/{bidId}/contract/sent").Ok();
        var signed = await Bids.UploadOkAsync(app.ClientFor("applicant-kca"), bidId, "SignedContract", fileName: "signed.pdf");
        await app.ClientFor("applicant-kca").CommandAsync($"/api/bids/{bidId}/contract/signed", new { documentId = signed }).Ok();
        await coordinator.CommandAsync($"/api/bids/{bidId}/contract/accepted").Ok();
        await app.ClientFor("finance").CommandAsync($"/api/bids/{bidId}/purchase-order", new { number = $"PO-{title.Length}", date = "2026-11-20", supplierReference = "KCA" }).Ok();
        await Bids.DrainAsync(app);
        return bidId;
    }
}

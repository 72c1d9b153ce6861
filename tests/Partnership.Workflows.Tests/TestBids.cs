using Partnership.Workflows.Bids;

namespace Partnership.Workflows.Tests;

/// <summary>Bids in every stage, with what each stage's commands need, and valid commands of every kind.</summary>
internal static class TestBids
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    public const string Organisation = "kids-can-achieve";

    public static readonly Actor Applicant = new("applicant-kca", Role.Applicant, Organisation);
    public static readonly Actor OtherApplicant = new("applicant-other", Role.Applicant, "another-org");
    public static readonly Actor Coordinator = new("coordinator", Role.Coordinator);
    public static readonly Actor Hce = new("hce", Role.HceMember);
    public static readonly Actor Board = new("board", Role.BoardMember);
    public static readonly Actor Finance = new("finance", Role.FinanceOfficer);
    public static readonly Actor Auditor = new("auditor", Role.Auditor);

    public static IReadOnlyList<Actor> EveryActor { get; } = [Applicant, Coordinator, Hce, Board, Finance, Auditor, Actor.System];

    /// <summary>England and Wales holidays around the dates the tests use.</summary>
    public static WorkingCalendar Calendar { get; } = new(
        [new(2026, 12, 25), new(2026, 12, 28), new(2027, 1, 1), new(2026, 8, 31)],
        TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));

    public static BidWorkflow Workflow { get; } = new(new BidWorkflowSettings(FundDeadlines.Defaults, Calendar));

    public static BidProposal Proposal { get; } = new("Top Families Project", "Evaluation, mapping and training for the Top Families pilot.",
        new Funding(55_000m, 0m), new DateOnly(2027, 1, 1), new DateOnly(2028, 12, 31));

    public static DocumentVersion Document(string id, DocumentKind kind, int version = 1) =>
        new(id, version, kind, $"{id}.pdf", "application/pdf", 1234, new string('a', 64), $"bids/b1/{id}/v{version}/{id}.pdf", "applicant-kca", Now.AddDays(-30));

    public static BidState Draft(int definitionVersion = BidWorkflowDefinition.CurrentVersion) => new()
    {
        BidId = "b1",
        FundId = "partnership-fund",
        OrganisationId = Organisation,
        ApplicantUserId = Applicant.UserId,
        DefinitionVersion = definitionVersion,
        Proposal = Proposal,
        CreatedAt = Now.AddDays(-40),
        StageEnteredAt = Now.AddDays(-40),
        Version = 2,
        Documents = [Document("doc-business-case", DocumentKind.BusinessCase)],
    };

    /// <summary>A bid at <paramref name="stage"/>, set up so that <paramref name="command"/>'s guard can pass there.</summary>
    public static BidState In(BidStage stage, Type? command = null, int definitionVersion = BidWorkflowDefinition.CurrentVersion)
    {
        var bid = Draft(definitionVersion) with { Stage = stage };
        var recommended = new Recommendation(RecommendationKind.Approve, new Funding(50_903.27m, 0m), "Report quarterly to HCE", null, null, Hce.UserId, Now.AddDays(-20));
        var signed = Document("doc-signed", DocumentKind.SignedContract);
        return stage switch
        {
            BidStage.ChangesRequested => bid with { ChangesRequested = "Add a budget breakdown." },
            BidStage.BoardApproval => bid with { Recommendation = recommended },
            BidStage.Contracting when command == typeof(SendContract) => bid with { Recommendation = recommended, ApprovedAmount = recommended.Amount },
            BidStage.Contracting when command == typeof(AcceptSignedContract) => bid with
            {
                Recommendation = recommended, ApprovedAmount = recommended.Amount, ContractSentAt = Now.AddDays(-10), Documents = bid.Documents.Add(signed), SignedContractDocumentId = signed.DocumentId,
            },
            BidStage.Contracting => bid with { Recommendation = recommended, ApprovedAmount = recommended.Amount, ContractSentAt = Now.AddDays(-10), Documents = bid.Documents.Add(signed) },
            BidStage.PurchaseOrder or BidStage.Monitoring or BidStage.Closing or BidStage.Closed => bid with
            {
                Recommendation = recommended, ApprovedAmount = recommended.Amount, ContractSentAt = Now.AddDays(-10), Documents = bid.Documents.Add(signed), SignedContractDocumentId = signed.DocumentId,
            },
            _ => bid,
        };
    }

    public static BidCommand Command(Type type, Actor actor) => type.Name switch
    {
        nameof(EditDraft) => new EditDraft(actor, Proposal with { Summary = "Revised summary." }),
        nameof(AttachDocument) => new AttachDocument(actor, Document("doc-budget", DocumentKind.Budget)),
        nameof(Submit) => new Submit(actor),
        nameof(StartScreening) => new StartScreening(actor),
        nameof(RequestChanges) => new RequestChanges(actor, "Add a budget breakdown."),
        nameof(Resubmit) => new Resubmit(actor),
        nameof(ReferToHce) => new ReferToHce(actor),
        nameof(RecommendApproval) => new RecommendApproval(actor, new Funding(50_903.27m, 0m), "Report quarterly to HCE"),
        nameof(DeferDecision) => new DeferDecision(actor, new DateOnly(2026, 12, 21), "Awaiting the project plan."),
        nameof(RecommendRejection) => new RecommendRejection(actor, "Does not meet the partnership priorities."),
        nameof(ApproveRecommendation) => new ApproveRecommendation(actor, "2010-11-laa-reward-grant", null),
        nameof(RejectRecommendation) => new RejectRecommendation(actor, "Not value for money."),
        nameof(SendContract) => new SendContract(actor),
        nameof(ReturnSignedContract) => new ReturnSignedContract(actor, "doc-signed"),
        nameof(AcceptSignedContract) => new AcceptSignedContract(actor),
        nameof(RecordPurchaseOrder) => new RecordPurchaseOrder(actor, "PO-2011-0042", new DateOnly(2026, 11, 20), "SUP-KCA-01"),
        nameof(StartClosing) => new StartClosing(actor),
        nameof(CloseBid) => new CloseBid(actor),
        nameof(Withdraw) => new Withdraw(actor, "The project found other funding."),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Name, "No sample for this command."),
    };

    /// <summary>Every command a person can give (timers are tested on their own).</summary>
    public static IReadOnlyList<Type> PersonCommands { get; } =
    [
        typeof(EditDraft), typeof(AttachDocument), typeof(Submit), typeof(StartScreening), typeof(RequestChanges), typeof(Resubmit),
        typeof(ReferToHce), typeof(RecommendApproval), typeof(DeferDecision), typeof(RecommendRejection), typeof(ApproveRecommendation),
        typeof(RejectRecommendation), typeof(SendContract), typeof(ReturnSignedContract), typeof(AcceptSignedContract),
        typeof(RecordPurchaseOrder), typeof(StartClosing), typeof(CloseBid), typeof(Withdraw),
    ];

    public static Accepted Accept(this Decision decision) => decision as Accepted
        ?? throw new Xunit.Sdk.XunitException($"Expected the command to be accepted but it was {decision}.");

    public static Refused Refuse(this Decision decision) => decision as Refused
        ?? throw new Xunit.Sdk.XunitException($"Expected the command to be refused but it was {decision}.");
}

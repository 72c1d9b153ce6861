using System.Collections.Immutable;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Decisions;
using Partnership.Workflows.Grants;

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

    /// <summary>HCE of two, its chair "hce"; the Board of two, its chair "board"; either chair may act alone up to £100,000.</summary>
    public static DecisionBody HceBody { get; } = new(BodyKind.Hce, ["hce", "hce-2"], "hce", null, BodyRules.Defaults with { QuorumMinimum = 2, ChairsActionLimit = 100_000m });

    public static DecisionBody BoardBody { get; } = new(BodyKind.Board, ["board", "board-chair"], "board", null, BodyRules.Defaults with { QuorumMinimum = 2, ChairsActionLimit = 100_000m });

    public static FundGovernance Bodies { get; } = new(ImmutableDictionary<BodyKind, DecisionBody>.Empty.Add(BodyKind.Hce, HceBody).Add(BodyKind.Board, BoardBody), ImmutableDictionary<string, string>.Empty);

    public static BidWorkflow Workflow { get; } = new(new BidWorkflowSettings(FundDeadlines.Defaults, Calendar) { Governance = Bodies });

    public const string Line = "2010-11-laa-reward-grant";

    public static MotionTerms Recommended { get; } = new(RecommendationKind.Approve, new Funding(50_903.27m, 0m), Line, "Report quarterly to HCE");

    /// <summary>The motion before the body deciding in <paramref name="stage"/>: HCE's proposed by hce-2 (who agrees), the Board's put by HCE.</summary>
    public static Motion MotionIn(BidStage stage) => stage == BidStage.BoardApproval
        ? Motion.Open("board-5", BoardBody, Recommended, "hce", Now.AddDays(-2), Now.AddDays(12), ImmutableDictionary<string, string>.Empty)
        : Motion.Open("hce-5", HceBody, Recommended, "hce-2", Now.AddDays(-2), Now.AddDays(12), ImmutableDictionary<string, string>.Empty);

    /// <summary>The Top Families business case from the December 2011 budget paper, its £55,000 in the paper's four lines.</summary>
    public static BusinessCase TopFamiliesCase { get; } = new()
    {
        StrategicLead = new("Catherine Doran", "Corporate Director Children's Services", "catherine.doran@harrow.example.org"),
        ProjectCoordinator = new("Jodie Darge", "Children's Service Commissioner", "jodie.darge@harrow.example.org"),
        Need = "Family breakdown leads to entrenched, inter-generational problems; the pilot funding leaves a gap in evaluation, cost avoidance and training.",
        Activities = "A whole-family approach for families with multiple and complex problems, re-designing services around early intervention.",
        Priorities = ["Effective Joint Working", "Building Community Capacity"],
        Phases = ["Design & Development", "Identification & Mapping", "Re-Commissioning", "Service Re-design & Recommendations"],
        Costs =
        [
            new("Independent evaluation", "A university level evaluation model.", FundingType.Revenue, "2011/12", 15_000m),
            new("Technical support", "Mapping, cost avoidance tools and analysis of the data.", FundingType.Revenue, "2011/12", 17_500m),
            new("Software licence", "Mapping the families and the connections in the data.", FundingType.Revenue, "2011/12", 12_000m),
            new("Training", "Frontline staff across the partnership, with venue, trainer and packs.", FundingType.Revenue, "2012/13", 10_500m),
        ],
        OtherFunding = [new("LAA Reward Grant, first round", 85_000m, FundingStatus.Secured)],
        Outcomes = [new("Understanding of the route to at-risk status", "Map of interventions by agency", "None", "Map complete", new DateOnly(2012, 3, 31))],
        Milestones = [new("March 2012", "Identify the Top Families pilot group of 20 to 30 families")],
        Risks = [new("Agencies withdraw from data sharing", RiskLevel.Low, RiskLevel.High, "Sign-off from 15 agencies is in place; the strategic group reviews it quarterly.")],
    };

    public static BidProposal Proposal { get; } = new("Top Families Project", "Evaluation, mapping and training for the Top Families pilot.",
        new Funding(55_000m, 0m), new DateOnly(2027, 1, 1), new DateOnly(2028, 12, 31)) { Case = TopFamiliesCase };

    /// <summary>The proposal as a bid under <paramref name="definitionVersion"/> holds it: before version 3, no written case.</summary>
    public static BidProposal ProposalFor(int definitionVersion) =>
        definitionVersion >= BidWorkflowDefinition.WrittenCaseVersion ? Proposal : Proposal with { Case = null };

    public static DocumentVersion Document(string id, DocumentKind kind, int version = 1) =>
        new(id, version, kind, $"{id}.pdf", "application/pdf", 1234, new string('a', 64), $"bids/b1/{id}/v{version}/{id}.pdf", "applicant-kca", Now.AddDays(-30));

    public static BidState Draft(int definitionVersion = BidWorkflowDefinition.CurrentVersion) => new()
    {
        BidId = "b1",
        FundId = "partnership-fund",
        OrganisationId = Organisation,
        ApplicantUserId = Applicant.UserId,
        DefinitionVersion = definitionVersion,
        Proposal = ProposalFor(definitionVersion),
        CreatedAt = Now.AddDays(-40),
        StageEnteredAt = Now.AddDays(-40),
        Version = 2,
        Documents = [Document("doc-business-case", DocumentKind.BusinessCase)],
    };

    /// <summary>A bid at <paramref name="stage"/>, set up so that <paramref name="command"/>'s guard can pass there.</summary>
    public static BidState In(BidStage stage, Type? command = null, int definitionVersion = BidWorkflowDefinition.CurrentVersion)
    {
        var bid = Draft(definitionVersion) with { Stage = stage };
        var recommended = new Recommendation(RecommendationKind.Approve, new Funding(50_903.27m, 0m), "Report quarterly to HCE", null, null, Hce.UserId, Now.AddDays(-20), definitionVersion >= BidWorkflowDefinition.BodiesVersion ? Line : null);
        var signed = Document("doc-signed", DocumentKind.SignedContract);
        return stage switch
        {
            BidStage.ChangesRequested => bid with { ChangesRequested = "Add a budget breakdown." },
            BidStage.HceRecommendation when definitionVersion >= BidWorkflowDefinition.BodiesVersion && VotesOnAMotion(command) => bid with { Motions = [MotionIn(stage)] },
            BidStage.BoardApproval when definitionVersion >= BidWorkflowDefinition.BodiesVersion => bid with { Recommendation = recommended, Motions = [MotionIn(stage)] },
            BidStage.BoardApproval => bid with { Recommendation = recommended },
            BidStage.Contracting when command == typeof(SendContract) => bid with { Recommendation = recommended, ApprovedAmount = recommended.Amount },
            BidStage.Contracting when command == typeof(AcceptSignedContract) => bid with
            {
                Recommendation = recommended, ApprovedAmount = recommended.Amount, ContractSentAt = Now.AddDays(-10), Documents = bid.Documents.Add(signed), SignedContractDocumentId = signed.DocumentId,
            },
            BidStage.Contracting => bid with { Recommendation = recommended, ApprovedAmount = recommended.Amount, ContractSentAt = Now.AddDays(-10), Documents = bid.Documents.Add(signed) },
            BidStage.Monitoring or BidStage.Closing => Monitored(bid with
            {
                Recommendation = recommended, ApprovedAmount = recommended.Amount, BudgetLineId = "2010-11-laa-reward-grant", ContractSentAt = Now.AddDays(-10),
                Documents = bid.Documents.Add(signed), SignedContractDocumentId = signed.DocumentId,
            }, command),
            BidStage.PurchaseOrder or BidStage.Closed => bid with
            {
                Recommendation = recommended, ApprovedAmount = recommended.Amount, BudgetLineId = "2010-11-laa-reward-grant", ContractSentAt = Now.AddDays(-10),
                Documents = bid.Documents.Add(signed), SignedContractDocumentId = signed.DocumentId,
            },
            _ => bid,
        };
    }

    private static bool VotesOnAMotion(Type? command) => command == typeof(CastVote) || command == typeof(ActAsChair) || command == typeof(RecordMeetingDecision);

    public static ReturnReport Report(decimal spent = 12_000m) => new(
        new Funding(spent, 0m), [new QuarterForecast("2026q3", new Funding(13_000m, 0m))], Funding.Zero, "Recruited the project lead.",
        [new MilestoneUpdate("Project lead appointed", Rag.Green, null)], [new OutcomeMeasure("Families mapped", 0m, 30m, 12m)], []);

    /// <summary>
    /// A grant in monitoring: the 2026/27 Q1 return submitted, Q2 awaited (and overdue by the test date), Q3 to come;
    /// two instalments, the second held for the Q2 return. Adjusted to what <paramref name="command"/> needs.
    /// </summary>
    private static BidState Monitored(BidState bid, Type? command)
    {
        var monitored = bid with
        {
            Returns =
            [
                new("2026q1", new DateOnly(2026, 7, 17), false, ReturnStatus.Submitted, Report(), Now.AddDays(-100)),
                new("2026q2", new DateOnly(2026, 10, 19), false),
                new("2026q3", new DateOnly(2027, 1, 18), true),
            ],
            Instalments =
            [
                new(1, new DateOnly(2026, 7, 1), new Funding(25_000m, 0m), null),
                new(2, new DateOnly(2026, 10, 19), new Funding(25_903.27m, 0m), "2026q2"),
            ],
        };
        return command?.Name switch
        {
            nameof(DecideVariation) => monitored with { PendingVariation = new Variation(VariationKind.ChangeMilestones, "Phase 2 moved", Milestones: "Mapping by March") },
            nameof(RecordPayment) => monitored with { Returns = [.. monitored.Returns.Select(r => r with { Status = ReturnStatus.Accepted, Report = Report() })] },
            nameof(CloseBid) => monitored with { Returns = [.. monitored.Returns.Select(r => r with { Status = ReturnStatus.Accepted, Report = Report() })] },
            _ => monitored,
        };
    }

    /// <summary>A valid <paramref name="type"/> from <paramref name="actor"/>, for a bid in <paramref name="stage"/> where that matters.</summary>
    public static BidCommand Command(Type type, Actor actor, BidStage stage = BidStage.HceRecommendation) => type.Name switch
    {
        nameof(CastVote) => new CastVote(actor, MotionIn(stage).Id, VoteChoice.Agrees),
        nameof(ActAsChair) => new ActAsChair(actor, MotionIn(stage).Id),
        nameof(RecordMeetingDecision) => new RecordMeetingDecision(actor, new DateOnly(2026, 11, 23), stage == BidStage.BoardApproval ? ["board", "board-chair"] : ["hce", "hce-2"], MeetingOutcome.Agreed, "PB/2026/12/4"),
        nameof(SubmitReturn) => new SubmitReturn(actor, "2026q2", Report(9_500m)),
        nameof(AcceptReturn) => new AcceptReturn(actor, "2026q1"),
        nameof(SendBackReturn) => new SendBackReturn(actor, "2026q1", "Attach the receipts."),
        nameof(SetInstalments) => new SetInstalments(actor, [new Instalment(1, new DateOnly(2026, 12, 1), new Funding(50_903.27m, 0m), null)]),
        nameof(HoldInstalment) => new HoldInstalment(actor, 1, "2026q2"),
        nameof(RecordPayment) => new RecordPayment(actor, 1, new Funding(25_000m, 0m), new DateOnly(2026, 11, 20), "BACS 004417"),
        nameof(ProposeVariation) => new ProposeVariation(actor, new Variation(VariationKind.ChangeMilestones, "Phase 2 moved", Milestones: "Mapping by March")),
        nameof(DecideVariation) => new DecideVariation(actor, true, null),
        nameof(RecordDelivery) => new RecordDelivery(actor, "fx-00000004-00", "hce@example.org", "decision-prompt-hce", DeliveryOutcome.Delivered, null, Now),
        nameof(ReceiveTransfer) => new ReceiveTransfer(actor, "another-bid", "2010-11-laa-reward-grant", new Funding(500m, 0m)),
        nameof(EditDraft) => new EditDraft(actor, Proposal with { Summary = "Revised summary.", Case = null }),
        nameof(ChangeDraft) => new ChangeDraft(actor, new AddCaseEntry(new Milestone("June 2012", "Re-commissioning plan agreed"))),
        nameof(AttachDocument) => new AttachDocument(actor, Document("doc-budget", DocumentKind.Budget)),
        nameof(Submit) => new Submit(actor),
        nameof(StartScreening) => new StartScreening(actor),
        nameof(RequestChanges) => new RequestChanges(actor, "Add a budget breakdown."),
        nameof(Resubmit) => new Resubmit(actor),
        nameof(ReferToHce) => new ReferToHce(actor),
        nameof(RecommendApproval) => new RecommendApproval(actor, new Funding(50_903.27m, 0m), "Report quarterly to HCE", Line),
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
        typeof(EditDraft), typeof(ChangeDraft), typeof(AttachDocument), typeof(Submit), typeof(StartScreening), typeof(RequestChanges), typeof(Resubmit),
        typeof(ReferToHce), typeof(RecommendApproval), typeof(DeferDecision), typeof(RecommendRejection), typeof(ApproveRecommendation),
        typeof(RejectRecommendation), typeof(SendContract), typeof(ReturnSignedContract), typeof(AcceptSignedContract),
        typeof(RecordPurchaseOrder), typeof(StartClosing), typeof(CloseBid), typeof(Withdraw),
        typeof(SubmitReturn), typeof(AcceptReturn), typeof(SendBackReturn), typeof(SetInstalments), typeof(HoldInstalment),
        typeof(RecordPayment), typeof(ProposeVariation), typeof(DecideVariation), typeof(ReceiveTransfer), typeof(RecordDelivery),
        typeof(CastVote), typeof(ActAsChair), typeof(RecordMeetingDecision),
    ];

    /// <summary>When HCE's recommendation falls due for a bid referred at <see cref="Now"/>: ten working days on, at 5 pm.</summary>
    public static readonly DateTimeOffset HceDue = new(2026, 12, 7, 17, 0, 0, TimeSpan.Zero);

    public static Accepted ReferredToHce(DateTimeOffset at, int definitionVersion = BidWorkflowDefinition.CurrentVersion) =>
        Workflow.Decide(In(BidStage.Screening, definitionVersion: definitionVersion), new ReferToHce(Coordinator), at).Accept();

    /// <summary>A grant in monitoring whose grant period runs from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public static BidState MonitoredFrom(DateOnly start, DateOnly end)
    {
        var bid = In(BidStage.PurchaseOrder) with { Proposal = Proposal with { GrantStart = start, GrantEnd = end } };
        return Workflow.Decide(bid, new RecordPurchaseOrder(Finance, "PO-1", new DateOnly(2026, 11, 20), "SUP"), Now).Accept().State;
    }

    public static Accepted Accept(this Decision decision) => decision as Accepted
        ?? throw new Xunit.Sdk.XunitException($"Expected the command to be accepted but it was {decision}.");

    public static Refused Refuse(this Decision decision) => decision as Refused
        ?? throw new Xunit.Sdk.XunitException($"Expected the command to be refused but it was {decision}.");
}

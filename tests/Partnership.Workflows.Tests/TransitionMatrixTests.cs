using Partnership.Workflows.Bids;
using static Partnership.Workflows.Bids.BidStage;

namespace Partnership.Workflows.Tests;

/// <summary>
/// Every stage × every command × every role, for both definitions, against a table written out by hand here:
/// what the table allows must be accepted and land in the stated stage; everything else must be refused.
/// </summary>
public class TransitionMatrixTests
{
    private static readonly BidStage[] NotFinished = [.. Enum.GetValues<BidStage>().Where(s => !s.IsFinished())];

    private static List<(BidStage From, Type Command, Role Role, BidStage To)> Allowed(int version)
    {
        var allowed = new List<(BidStage, Type, Role, BidStage)>
        {
            (Draft, typeof(EditDraft), Role.Applicant, Draft),
            (ChangesRequested, typeof(EditDraft), Role.Applicant, ChangesRequested),
            (Draft, typeof(Submit), Role.Applicant, version == 1 ? Submitted : Screening),
            (Screening, typeof(RequestChanges), Role.Coordinator, ChangesRequested),
            (ChangesRequested, typeof(Resubmit), Role.Applicant, Screening),
            (Screening, typeof(ReferToHce), Role.Coordinator, HceRecommendation),
            (HceRecommendation, typeof(DeferDecision), Role.HceMember, HceRecommendation),
            (Contracting, typeof(SendContract), Role.Coordinator, Contracting),
            (Contracting, typeof(ReturnSignedContract), Role.Applicant, Contracting),
            (Contracting, typeof(ReturnSignedContract), Role.Coordinator, Contracting),
            (Contracting, typeof(AcceptSignedContract), Role.Coordinator, PurchaseOrder),
            (PurchaseOrder, typeof(RecordPurchaseOrder), Role.FinanceOfficer, Monitoring),
            (Monitoring, typeof(StartClosing), Role.Coordinator, Closing),
            (Closing, typeof(CloseBid), Role.Coordinator, Closed),
        };
        if (version >= BidWorkflowDefinition.BodiesVersion)
        {
            // A member's proposal is put to HCE as a motion; what carries it (a second vote, the chair, a meeting) moves the bid.
            allowed.Add((HceRecommendation, typeof(RecommendApproval), Role.HceMember, HceRecommendation));
            allowed.Add((HceRecommendation, typeof(RecommendRejection), Role.HceMember, HceRecommendation));
            allowed.Add((HceRecommendation, typeof(CastVote), Role.HceMember, BoardApproval));
            allowed.Add((HceRecommendation, typeof(ActAsChair), Role.HceMember, BoardApproval));
            allowed.Add((HceRecommendation, typeof(RecordMeetingDecision), Role.Coordinator, BoardApproval));
            allowed.Add((BoardApproval, typeof(CastVote), Role.BoardMember, BoardApproval));
            allowed.Add((BoardApproval, typeof(ActAsChair), Role.BoardMember, Contracting));
            allowed.Add((BoardApproval, typeof(RecordMeetingDecision), Role.Coordinator, Contracting));
        }
        else
        {
            allowed.Add((HceRecommendation, typeof(RecommendApproval), Role.HceMember, BoardApproval));
            allowed.Add((HceRecommendation, typeof(RecommendRejection), Role.HceMember, Rejected));
            allowed.Add((BoardApproval, typeof(ApproveRecommendation), Role.BoardMember, Contracting));
            allowed.Add((BoardApproval, typeof(RejectRecommendation), Role.BoardMember, Rejected));
        }

        if (version >= BidWorkflowDefinition.WrittenCaseVersion)
        {
            allowed.Add((Draft, typeof(ChangeDraft), Role.Applicant, Draft));
            allowed.Add((ChangesRequested, typeof(ChangeDraft), Role.Applicant, ChangesRequested));
        }

        BidStage[] withdrawable = version == 1
            ? [Draft, Submitted, Screening, ChangesRequested, HceRecommendation, BoardApproval, Contracting]
            : [Draft, Screening, ChangesRequested, HceRecommendation, BoardApproval, Contracting];
        allowed.AddRange(withdrawable.Select(s => (s, typeof(Withdraw), Role.Applicant, Withdrawn)));
        if (version == 1)
        {
            allowed.Add((Submitted, typeof(StartScreening), Role.Coordinator, Screening));
        }

        foreach (var monitored in new[] { Monitoring, Closing })
        {
            allowed.Add((monitored, typeof(SubmitReturn), Role.Applicant, monitored));
            allowed.Add((monitored, typeof(AcceptReturn), Role.Coordinator, monitored));
            allowed.Add((monitored, typeof(SendBackReturn), Role.Coordinator, monitored));
            allowed.Add((monitored, typeof(RecordPayment), Role.FinanceOfficer, monitored));
        }

        foreach (var funded in new[] { Contracting, PurchaseOrder, Monitoring })
        {
            allowed.Add((funded, typeof(SetInstalments), Role.Coordinator, funded));
            allowed.Add((funded, typeof(SetInstalments), Role.FinanceOfficer, funded));
            allowed.Add((funded, typeof(ReceiveTransfer), Role.System, funded));
        }

        allowed.AddRange(Enum.GetValues<BidStage>().Select(s => (s, typeof(RecordDelivery), Role.System, s)));
        allowed.Add((Monitoring, typeof(HoldInstalment), Role.Coordinator, Monitoring));
        allowed.Add((Monitoring, typeof(ProposeVariation), Role.Coordinator, Monitoring));
        allowed.Add((Monitoring, typeof(DecideVariation), Role.HceMember, Monitoring));

        var attachable = NotFinished.Where(s => version == 1 || s != Submitted).ToList();
        allowed.AddRange(attachable.Select(s => (s, typeof(AttachDocument), Role.Coordinator, s)));
        allowed.AddRange(attachable.Select(s => (s, typeof(AttachDocument), Role.System, s)));
        allowed.AddRange(new[] { Draft, ChangesRequested, Contracting, Monitoring, Closing }.Select(s => (s, typeof(AttachDocument), Role.Applicant, s)));
        return allowed;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_stage_command_and_role_is_allowed_or_refused_as_the_table_says(int version)
    {
        var allowed = Allowed(version);
        var failures = new List<string>();
        var checkedCases = 0;
        foreach (var stage in Enum.GetValues<BidStage>())
        {
            foreach (var type in TestBids.PersonCommands)
            {
                foreach (var actor in TestBids.EveryActor)
                {
                    checkedCases++;
                    var decision = TestBids.Workflow.Decide(TestBids.In(stage, type, version), TestBids.Command(type, actor, stage), TestBids.Now);
                    var expected = allowed.Where(a => a.From == stage && a.Command == type && a.Role == actor.Role).Select(a => (BidStage?)a.To).FirstOrDefault();
                    switch (expected, decision)
                    {
                        case (null, Refused refused) when !string.IsNullOrWhiteSpace(refused.Reason):
                        case ({ } to, Accepted accepted) when accepted.State.Stage == to && accepted.Events.Count > 0:
                            break;
                        default:
                            failures.Add($"{stage} / {type.Name} / {actor.Role}: expected {(expected is null ? "refusal" : $"move to {expected}")}, got {decision}");
                            break;
                    }
                }
            }
        }

        Assert.Equal(Enum.GetValues<BidStage>().Length * TestBids.PersonCommands.Count * TestBids.EveryActor.Count, checkedCases);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Every_applicant_transition_is_refused_to_an_applicant_of_another_organisation()
    {
        foreach (var (from, type, _, _) in Allowed(BidWorkflowDefinition.CurrentVersion).Where(a => a.Role == Role.Applicant))
        {
            var refused = TestBids.Workflow.Decide(TestBids.In(from, type), TestBids.Command(type, TestBids.OtherApplicant), TestBids.Now).Refuse();
            Assert.Equal(RefusalKind.Forbidden, refused.Kind);
        }
    }

    [Fact]
    public void The_definition_lists_exactly_the_person_transitions_the_table_allows()
    {
        foreach (var definition in BidWorkflowDefinition.All)
        {
            var declared = definition.Transitions
                .Where(t => t.Timer is null)
                .SelectMany(t => t.From.SelectMany(f => t.Roles.Select(r => (f, t.Command, r))))
                .Where(x => !(x.Command == typeof(AttachDocument) && x.r == Role.Applicant))
                .ToHashSet();
            var table = Allowed(definition.Version).Where(a => !(a.Command == typeof(AttachDocument) && a.Role == Role.Applicant)).Select(a => (a.From, a.Command, a.Role)).ToHashSet();
            Assert.Equal(table.OrderBy(x => x.ToString()), declared.OrderBy(x => x.ToString()));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_person_transition_records_the_events_it_declares_and_no_others(int version)
    {
        var definition = BidWorkflowDefinition.ForVersion(version);
        var seen = new Dictionary<Transition, HashSet<string>>();
        var failures = new List<string>();
        var cases = Allowed(version).Select(a => (a.From, a.Command, Given: TestBids.Command(a.Command, TestBids.EveryActor.First(x => x.Role == a.Role), a.From)))
            .Append((BidStage.Monitoring, typeof(DecideVariation), new DecideVariation(TestBids.Hce, Agree: false, "Not this year.")));
        foreach (var (from, type, command) in cases)
        {
            var accepted = TestBids.Workflow.Decide(TestBids.In(from, type, version), command, TestBids.Now).Accept();
            var transition = definition.Transitions.Single(t => t.Timer is null && t.Command == type && t.From.Contains(from));
            var recorded = accepted.Events.Select(e => e.GetType().Name).ToHashSet();
            failures.AddRange(recorded.Except(transition.Records).Select(e => $"{from} / {type.Name}: records {e}, which it does not declare"));
            seen.TryAdd(transition, []);
            seen[transition].UnionWith(recorded);
        }

        // Recorded only from states the matrix's bids are not in: a held instalment, returns not yet due at closing.
        // and from version 4, what a motion comes to other than carrying on the sample's terms.
        string[] conditional =
        [
            nameof(InstalmentReleased), nameof(ReturnsWithdrawn), nameof(InterestDeclared), nameof(MotionSentToMeeting), nameof(HceDeferred),
            nameof(HceRecommendedRejection), nameof(BoardRejected), nameof(VoteRecorded), nameof(HceRecommendedApproval), nameof(MotionPut), nameof(BoardApproved), nameof(MotionCarried),
        ];
        failures.AddRange(seen.SelectMany(t => t.Key.Records.Except(t.Value).Except(conditional).Select(e => $"{t.Key.Trigger}: declares {e}, which no case recorded")));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}

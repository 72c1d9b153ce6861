using System.Collections.Immutable;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Decisions;
using static Partnership.Workflows.Tests.TestBids;

namespace Partnership.Workflows.Tests.Stages;

/// <summary>
/// Version 4: HCE and the Board decide as bodies. The December Board: five members, quorate on three, its chair able to
/// act alone up to £10,000, and the council's leader with a registered interest in the applicant.
/// </summary>
public class BodiesStageTests
{
    private static readonly Actor Chair = new("chair", Role.BoardMember);
    private static readonly Actor Vice = new("vice", Role.BoardMember);
    private static readonly Actor Leader = new("leader", Role.BoardMember);
    private static readonly Actor Police = new("police", Role.BoardMember);
    private static readonly Actor Voluntary = new("voluntary", Role.BoardMember);
    private static readonly Actor Hce2 = new("hce-2", Role.HceMember);

    private static readonly DecisionBody December = new(BodyKind.Board, ["chair", "vice", "leader", "police", "voluntary"], "chair", "vice", BodyRules.Defaults with { ChairsActionLimit = 10_000m });

    private static readonly BidWorkflow Bodies = new(new BidWorkflowSettings(FundDeadlines.Defaults, Calendar)
    {
        Governance = new FundGovernance(TestBids.Bodies.Bodies.SetItem(BodyKind.Board, December), ImmutableDictionary<string, string>.Empty.Add("leader", "Leader of the council")),
    });

    private static BidState AtHce() => Bodies.Decide(In(BidStage.Screening, definitionVersion: 4), new ReferToHce(Coordinator), Now).Accept().State;

    /// <summary>HCE proposes £50,903.27 from the line, hce-2 agrees, and the Board's motion is put.</summary>
    private static Accepted ToBoard(Funding? amount = null)
    {
        var proposed = Bodies.Decide(AtHce(), new RecommendApproval(Hce, amount ?? new Funding(50_903.27m, 0m), "Report quarterly to HCE", Line), Now.AddHours(1)).Accept();
        return Bodies.Decide(proposed.State, new CastVote(Hce2, proposed.State.PendingMotion!.Id, VoteChoice.Agrees), Now.AddHours(2)).Accept();
    }

    private static Accepted Vote(BidState bid, Actor member, VoteChoice choice, string? reason = null, int hours = 3) =>
        Bodies.Decide(bid, new CastVote(member, bid.PendingMotion!.Id, choice, reason), Now.AddHours(hours)).Accept();

    [Fact]
    public void One_hce_member_s_recommendation_is_only_a_motion_until_a_second_agrees_and_then_the_board_is_put_it_without_the_member_with_an_interest()
    {
        var proposed = Bodies.Decide(AtHce(), new RecommendApproval(Hce, new Funding(50_903.27m, 0m), null, Line), Now.AddHours(1)).Accept();
        Assert.Equal(BidStage.HceRecommendation, proposed.State.Stage);
        Assert.Equal((MotionStatus.Open, 1, 2), (proposed.State.PendingMotion!.Status, proposed.State.PendingMotion.Agreeing, proposed.State.PendingMotion.Needed));
        Assert.Equal(["hce-2"], proposed.Effects.OfType<Notify>().Single(n => n.Template == "vote-prompt-hce").Only!.Value);

        var carried = ToBoard();
        Assert.Equal(BidStage.BoardApproval, carried.State.Stage);
        Assert.Contains(carried.Events, e => e is MotionCarried { Outcome: "2 of 2 eligible members agreed" });
        Assert.Equal(new Recommendation(RecommendationKind.Approve, new Funding(50_903.27m, 0m), "Report quarterly to HCE", null, null, "hce", Now.AddHours(2), Line), carried.State.Recommendation);
        var board = carried.State.PendingMotion!;
        Assert.Equal((BodyKind.Board, 0, 3, "Leader of the council"), (board.Body, board.Agreeing, board.Needed, board.Interests["leader"]));
        Assert.Equal(["chair", "vice", "police", "voluntary"], carried.Effects.OfType<Notify>().Single(n => n.Template == "vote-prompt-board").Only!.Value);
        Assert.Empty(carried.Moves);
    }

    [Fact]
    public void The_board_s_motion_carries_on_a_majority_of_those_eligible_and_the_money_moves_once_on_the_vote_that_carries_it()
    {
        var bid = ToBoard().State;
        var first = Vote(bid, Chair, VoteChoice.Agrees);
        var second = Vote(first.State, Police, VoteChoice.Agrees, hours: 4);
        Assert.Equal((BidStage.BoardApproval, 0, 0), (second.State.Stage, first.Moves.Count, second.Moves.Count));

        var third = Vote(second.State, Voluntary, VoteChoice.Agrees, hours: 5);
        Assert.Equal(BidStage.Contracting, third.State.Stage);
        Assert.Equal([new BudgetMove(Line, new Funding(50_903.27m, 0m))], third.Moves);
        Assert.Contains(third.Events, e => e is MotionCarried { Outcome: "3 of 4 eligible members agreed" });

        var late = Bodies.Decide(third.State, new CastVote(Vice, bid.PendingMotion!.Id, VoteChoice.Objects, "Too late"), Now.AddHours(6)).Refuse();
        Assert.Equal((RefusalKind.WrongStage, "You cannot vote on the motion before your body while the bid is at the Contracting stage."), (late.Kind, late.Reason));
    }

    [Fact]
    public void One_objection_sends_the_motion_to_the_next_meeting_and_nothing_moves()
    {
        var bid = Vote(ToBoard().State, Chair, VoteChoice.Agrees).State;
        Assert.Equal("Give the reason for your objection; it goes to the meeting.", Bodies.Decide(bid, new CastVote(Police, bid.PendingMotion!.Id, VoteChoice.Objects), Now.AddHours(4)).Refuse().Reason);

        var objected = Vote(bid, Police, VoteChoice.Objects, "Value for money not shown");
        Assert.Equal((BidStage.BoardApproval, MotionStatus.ToMeeting), (objected.State.Stage, objected.State.PendingMotion!.Status));
        Assert.Contains(objected.Events, e => e is MotionSentToMeeting { Reason: "a member objected: Value for money not shown" });
        Assert.Contains(objected.Effects, e => e is Notify { To: Audience.Coordinators, Template: "motion-to-meeting" });
        Assert.Empty(objected.State.Timers);
        Assert.Null(objected.State.DecisionDueAt);
        Assert.Contains("gone to the next meeting", Bodies.Decide(objected.State, new CastVote(Voluntary, bid.PendingMotion.Id, VoteChoice.Agrees), Now.AddHours(5)).Refuse().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_that_closes_undecided_puts_the_motion_on_the_next_agenda()
    {
        var bid = Vote(ToBoard().State, Chair, VoteChoice.Agrees).State;
        var closes = bid.Timers.Single(t => t.Purpose == TimerPurpose.MotionCloses);
        Assert.Equal(bid.PendingMotion!.ClosesAt, closes.DueAt);
        Assert.Equal(bid.DecisionDueAt, closes.DueAt);

        var closed = Bodies.Decide(bid, new FireTimer(Actor.System, closes.Id), closes.DueAt).Accept();
        Assert.Equal(MotionStatus.ToMeeting, closed.State.PendingMotion!.Status);
        Assert.Contains(closed.Events, e => e is MotionSentToMeeting { Reason: "the window closed without enough members agreeing" });
    }

    [Fact]
    public void A_member_with_a_registered_or_declared_interest_takes_no_part_and_their_vote_changes_nothing()
    {
        var bid = ToBoard().State;
        var refused = Bodies.Decide(bid, new CastVote(Leader, bid.PendingMotion!.Id, VoteChoice.Agrees), Now.AddHours(3)).Refuse();
        Assert.Equal("You have an interest in the applicant on your register (Leader of the council), so you take no part in this item.", refused.Reason);

        var declared = Bodies.Decide(bid, new CastVote(Police, bid.PendingMotion.Id, VoteChoice.Agrees, Interest: "My wife chairs its trustees"), Now.AddHours(3)).Accept();
        Assert.Equal([new InterestDeclared(bid.PendingMotion.Id, "My wife chairs its trustees") { At = Now.AddHours(3), By = "police" }], declared.Events);
        Assert.Equal((0, 3, 2), (declared.State.PendingMotion!.Agreeing, declared.State.PendingMotion.Eligible.Length, declared.State.PendingMotion.Needed));
        Assert.NotNull(Bodies.Decide(declared.State, new CastVote(Police, bid.PendingMotion.Id, VoteChoice.Agrees), Now.AddHours(4)).Refuse().Reason);
        Assert.Equal("You are not a member of the body this motion was put to.", Bodies.Decide(bid, new CastVote(new Actor("board", Role.BoardMember), bid.PendingMotion.Id, VoteChoice.Agrees), Now.AddHours(3)).Refuse().Reason);
    }

    [Fact]
    public void A_meeting_decides_only_a_quorate_item_counting_out_members_with_an_interest()
    {
        var bid = Vote(Vote(ToBoard().State, Chair, VoteChoice.Agrees).State, Police, VoteChoice.Objects, "Value for money not shown").State;
        var held = new DateOnly(2026, 11, 23);

        var inquorate = Bodies.Decide(bid, new RecordMeetingDecision(Coordinator, held, ["chair", "leader", "vice"], MeetingOutcome.Agreed, "PB 11/4"), Now.AddHours(6)).Refuse();
        Assert.Equal("This item is inquorate: 2 members without an interest in it attended, and 3 are needed. It cannot be decided at this meeting.", inquorate.Reason);

        var agreed = Bodies.Decide(bid, new RecordMeetingDecision(Coordinator, held, ["chair", "leader", "vice", "police"], MeetingOutcome.AgreedWithChanges, "PB 11/4", new Funding(45_000m, 0m)), Now.AddHours(6)).Accept();
        Assert.Equal(BidStage.Contracting, agreed.State.Stage);
        Assert.Equal([new BudgetMove(Line, new Funding(45_000m, 0m))], agreed.Moves);
        var minuted = agreed.Events.OfType<MeetingDecided>().Single();
        Assert.Equal((MeetingOutcome.AgreedWithChanges, "PB 11/4"), (minuted.Outcome, minuted.Minute));
        Assert.Equal(["leader"], minuted.CountedOut);
        Assert.Equal("'board' is not a member of the Partnership Board.", Bodies.Decide(bid, new RecordMeetingDecision(Coordinator, held, ["board"], MeetingOutcome.Agreed, "PB 11/4"), Now).Refuse().Reason);
    }

    [Fact]
    public void A_meeting_s_deferral_puts_the_board_s_motion_again_on_the_day_and_a_rejection_ends_the_bid()
    {
        var bid = Vote(ToBoard().State, Police, VoteChoice.Objects, "Value for money not shown").State;
        var present = new[] { "chair", "vice", "police", "voluntary" };
        var deferred = Bodies.Decide(bid, new RecordMeetingDecision(Coordinator, new DateOnly(2026, 11, 23), present, MeetingOutcome.Deferred, "PB 11/5", Text: "Awaiting the evaluation plan", DeferTo: new DateOnly(2027, 1, 11)), Now.AddHours(6)).Accept();
        Assert.Equal(BidStage.BoardApproval, deferred.State.Stage);
        Assert.Null(deferred.State.PendingMotion);
        var ends = deferred.State.Timers.Single(t => t.Purpose == TimerPurpose.DeferralEnds);

        var again = Bodies.Decide(deferred.State, new FireTimer(Actor.System, ends.Id), ends.DueAt).Accept();
        Assert.Equal((MotionStatus.Open, new Funding(50_903.27m, 0m)), (again.State.PendingMotion!.Status, again.State.PendingMotion.Terms.Amount));

        var rejected = Bodies.Decide(bid, new RecordMeetingDecision(Coordinator, new DateOnly(2026, 11, 23), present, MeetingOutcome.Rejected, "PB 11/5", Text: "Does not meet the priorities"), Now.AddHours(6)).Accept();
        Assert.Equal((BidStage.Rejected, "Does not meet the priorities"), (rejected.State.Stage, rejected.State.OutcomeReason));
    }

    [Fact]
    public void The_chair_acts_alone_only_within_the_limit_and_it_is_recorded_for_the_next_meeting()
    {
        var big = ToBoard().State;
        Assert.Equal("The chair may act alone only up to £10,000.00; this is £50,903.27, so the members decide.", Bodies.Decide(big, new ActAsChair(Chair, big.PendingMotion!.Id), Now.AddHours(3)).Refuse().Reason);

        var small = ToBoard(new Funding(8_000m, 0m)).State;
        Assert.NotNull(Bodies.Decide(small, new ActAsChair(Vice, small.PendingMotion!.Id), Now.AddHours(3)).Refuse().Reason);
        var acted = Bodies.Decide(small, new ActAsChair(Chair, small.PendingMotion.Id), Now.AddHours(3)).Accept();
        Assert.Equal(BidStage.Contracting, acted.State.Stage);
        Assert.Contains(acted.Events, e => e is MotionCarried { ByChair: true });
        Assert.Equal([new BudgetMove(Line, new Funding(8_000m, 0m))], acted.Moves);
    }

    [Fact]
    public void Only_the_chair_replaces_hce_s_motion_with_another_and_the_votes_start_again()
    {
        var proposed = Bodies.Decide(AtHce(), new RecommendApproval(Hce2, new Funding(50_903.27m, 0m), null, Line), Now.AddHours(1)).Accept().State;
        var refused = Bodies.Decide(proposed, new RecommendApproval(Hce2, new Funding(40_000m, 0m), null, Line), Now.AddHours(2)).Refuse();
        Assert.StartsWith("HCE already has a motion before it (Agree £50,903.27 from 2010-11-laa-reward-grant).", refused.Reason, StringComparison.Ordinal);

        var replaced = Bodies.Decide(proposed, new RecommendApproval(Hce, new Funding(40_000m, 0m), null, Line), Now.AddHours(2)).Accept().State;
        Assert.Equal([MotionStatus.Superseded, MotionStatus.Open], replaced.Motions.Select(m => m.Status));
        Assert.Equal((new Funding(40_000m, 0m), 1), (replaced.PendingMotion!.Terms.Amount, replaced.PendingMotion.Agreeing));
        Assert.StartsWith("That motion has been replaced", Bodies.Decide(replaced, new CastVote(Hce2, proposed.PendingMotion!.Id, VoteChoice.Agrees), Now.AddHours(3)).Refuse().Reason, StringComparison.Ordinal);
        Assert.Equal("Name the budget line the Board would draw the amount from.", Bodies.Decide(AtHce(), new RecommendApproval(Hce, new Funding(1m, 0m), null), Now).Refuse().Reason);
    }

    [Fact]
    public void A_bid_started_under_version_3_is_still_decided_by_one_member_of_each_body()
    {
        var referred = Bodies.Decide(In(BidStage.Screening, definitionVersion: 3), new ReferToHce(Coordinator), Now).Accept().State;
        var recommended = Bodies.Decide(referred, new RecommendApproval(Hce, new Funding(50_903.27m, 0m), null), Now.AddHours(1)).Accept().State;
        Assert.Equal(BidStage.BoardApproval, recommended.Stage);
        Assert.Equal(BidStage.Contracting, Bodies.Decide(recommended, new ApproveRecommendation(Chair, Line, null), Now.AddHours(2)).Accept().State.Stage);
        Assert.Equal("CastVote is not part of version 3 of the bid workflow.", Bodies.Decide(recommended, new CastVote(Chair, "board-1", VoteChoice.Agrees), Now).Refuse().Reason);
    }
}

using System.Collections.Immutable;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Decisions;

namespace Partnership.Workflows.Tests;

/// <summary>HCE and the Board decide as bodies: written procedure by their rules, quorum at meetings, and members with an interest taking no part.</summary>
public class DecisionBodyTests
{
    private static readonly DateTimeOffset Opened = new(2011, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static readonly DecisionBody Board = new(BodyKind.Board, ["chair", "vice", "m3", "m4", "m5", "m6"], "chair", "vice", BodyRules.Defaults with { ChairsActionLimit = 10_000m });

    private static readonly MotionTerms TopFamilies = new(RecommendationKind.Approve, new Funding(58_000m, 0m), "partnership-revenue", null);

    private static Motion Put(IReadOnlyDictionary<string, string>? registered = null, string proposer = "chair") =>
        Motion.Open("board-1", Board, TopFamilies, proposer, Opened, Opened.AddDays(14), registered ?? ImmutableDictionary<string, string>.Empty);

    private static Motion Votes(Motion motion, params (string Member, VoteChoice Choice)[] votes) =>
        votes.Aggregate(motion, (m, v) => m.Cast(v.Member, new Vote(v.Choice, v.Choice == VoteChoice.Objects ? "Too much for one year" : null, Opened.AddDays(1)), Opened.AddDays(1)));

    [Fact]
    public void A_written_procedure_carries_when_more_than_half_of_the_eligible_members_agree_and_none_objects()
    {
        var motion = Put();
        Assert.Equal((MotionStatus.Open, 1, 4), (motion.Status, motion.Agreeing, motion.Needed));

        var three = Votes(motion, ("m3", VoteChoice.Agrees), ("m4", VoteChoice.Abstains), ("m5", VoteChoice.Agrees));
        Assert.Equal(MotionStatus.Open, three.Status);

        var carried = Votes(three, ("m6", VoteChoice.Agrees));
        Assert.Equal(MotionStatus.Carried, carried.Status);
        Assert.Equal("4 of 6 eligible members agreed", carried.Outcome);
        Assert.StartsWith("This motion was decided on 24 November 2011", carried.Refusal("vice"), StringComparison.Ordinal);
    }

    [Fact]
    public void One_objection_sends_the_motion_to_the_next_meeting_whatever_the_others_say()
    {
        var motion = Votes(Put(), ("m3", VoteChoice.Agrees), ("m4", VoteChoice.Objects));

        Assert.Equal(MotionStatus.ToMeeting, motion.Status);
        Assert.Equal("a member objected: Too much for one year", motion.Outcome);
        Assert.Contains("gone to the next meeting", motion.Refusal("m5"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_that_closes_undecided_sends_the_motion_to_the_next_meeting_and_a_decided_one_stays_decided()
    {
        var open = Votes(Put(), ("m3", VoteChoice.Agrees));
        Assert.Equal(MotionStatus.ToMeeting, open.Close(Opened.AddDays(14)).Status);

        var carried = Votes(open, ("m4", VoteChoice.Agrees), ("m5", VoteChoice.Agrees));
        Assert.Equal(carried, carried.Close(Opened.AddDays(14)));
    }

    [Fact]
    public void A_member_with_an_interest_takes_no_part_and_is_not_counted_among_those_eligible()
    {
        var motion = Put(new Dictionary<string, string> { ["m6"] = "a trustee of the applicant", ["not-a-member"] = "irrelevant" });

        Assert.Equal(["chair", "vice", "m3", "m4", "m5"], motion.Eligible);
        Assert.Equal("You have an interest in the applicant (a trustee of the applicant), so you take no part in this item.", motion.Refusal("m6"));
        Assert.Equal("You are not a member of the body this motion was put to.", motion.Refusal("not-a-member"));
        Assert.Equal(3, motion.Needed);

        var declared = Votes(motion, ("m3", VoteChoice.Agrees)).Declare("m3", "my sister runs it", Opened.AddDays(2));
        Assert.Equal((1, 4, 3), (declared.Agreeing, declared.Eligible.Length, declared.Needed));
        Assert.NotNull(declared.Refusal("m3"));
    }

    [Fact]
    public void A_proposer_with_an_interest_does_not_agree_their_own_motion_and_too_few_eligible_members_send_it_to_a_meeting()
    {
        Assert.Equal(0, Put(new Dictionary<string, string> { ["chair"] = "employee" }).Agreeing);

        var small = new DecisionBody(BodyKind.Hce, ["a", "b"], null, null, BodyRules.Defaults with { QuorumMinimum = 2 });
        var motion = Motion.Open("hce-1", small, TopFamilies, "a", Opened, Opened.AddDays(10), new Dictionary<string, string> { ["b"] = "trustee" });

        Assert.Equal(MotionStatus.ToMeeting, motion.Status);
        Assert.Equal("only 1 of the members may take part, too few to decide in writing", motion.Outcome);
    }

    [Fact]
    public void No_one_member_decides_for_a_body_of_two_in_writing()
    {
        var pair = new DecisionBody(BodyKind.Hce, ["hce", "hce-2"], null, null, BodyRules.Defaults with { QuorumMinimum = 2 });
        var motion = Motion.Open("hce-1", pair, TopFamilies, "hce", Opened, Opened.AddDays(10), ImmutableDictionary<string, string>.Empty);

        Assert.Equal(MotionStatus.Open, motion.Status);
        Assert.Equal(MotionStatus.Carried, Votes(motion, ("hce-2", VoteChoice.Agrees)).Status);
    }

    [Fact]
    public void A_meeting_is_quorate_on_a_third_of_its_members_and_at_least_three_not_counting_those_with_an_interest()
    {
        var nine = Board with { Members = [.. Enumerable.Range(1, 9).Select(i => $"m{i}")], Chair = "m1", ViceChair = "m2" };

        var check = QuorumCheck.Of(nine, ["m1", "m2", "m3", "outsider"], new HashSet<string> { "m3" });
        Assert.Equal((3, false), (check.Required, check.IsQuorate));
        Assert.Equal(["m1", "m2"], check.Counted);
        Assert.Equal(["m3"], check.CountedOut);
        Assert.True(QuorumCheck.Of(nine, ["m1", "m2", "m3", "m4"], new HashSet<string> { "m3" }).IsQuorate);

        var twelve = nine with { Members = [.. Enumerable.Range(1, 12).Select(i => $"m{i}")] };
        Assert.Equal(4, QuorumCheck.Of(twelve, [], new HashSet<string>()).Required);
    }

    [Fact]
    public void The_chair_may_act_alone_only_within_the_limit_and_the_vice_chair_only_when_the_chair_has_an_interest()
    {
        var none = new HashSet<string>();
        Assert.Null(Board.ChairsActionProblem("chair", new Funding(10_000m, 0m), none));
        Assert.Equal("The chair may act alone only up to £10,000.00; this is £10,000.01, so the members decide.", Board.ChairsActionProblem("chair", new Funding(10_000m, 0.01m), none));
        Assert.NotNull(Board.ChairsActionProblem("vice", new Funding(5_000m, 0m), none));
        Assert.Null(Board.ChairsActionProblem("vice", new Funding(5_000m, 0m), new HashSet<string> { "chair" }));
        Assert.NotNull(Board.ChairsActionProblem("m3", new Funding(1m, 0m), none));
        Assert.Equal("The Partnership Board's chair may not act alone on this fund; the members decide.", (Board with { Rules = BodyRules.Defaults }).ChairsActionProblem("chair", new Funding(1m, 0m), none));
    }

    [Theory]
    [InlineData(1, 3, 3, 1, 2, null, null)]
    [InlineData(1, 3, 1, 1, 2, null, "A quorum is at least 2 members and at most 50.")]
    [InlineData(1, 3, 3, 1, 3, null, "A written procedure needs more than half of the eligible members agreeing, or a larger share.")]
    [InlineData(1, 3, 3, 1, 2, -1, "The chair's limit is an amount in whole pence more than £0.00, or none.")]
    [InlineData(4, 3, 3, 1, 2, null, "The quorum is a share of the members between none and all of them, like 1 in 3.")]
    public void Rules_that_cannot_work_are_named(int quorumTop, int quorumBottom, int minimum, int majorityTop, int majorityBottom, int? limit, string? problem)
    {
        var rules = new BodyRules(new Share(quorumTop, quorumBottom), minimum, new Share(majorityTop, majorityBottom), 2, limit);
        Assert.Equal(problem, rules.Problem());
        Assert.Equal("A written procedure needs at least 2 members agreeing, and at most 50.", (BodyRules.Defaults with { WrittenMinimumAgreeing = 1 }).Problem());
    }

    [Fact]
    public void A_body_names_each_member_once_and_its_chair_among_them()
    {
        Assert.Null(Board.Problem());
        Assert.Equal("Name each member of HCE once.", new DecisionBody(BodyKind.Hce, ["a", "a", "b"], null, null, BodyRules.Defaults).Problem());
        Assert.Equal("The chair and vice-chair must be members of the Partnership Board.", (Board with { Chair = "outsider" }).Problem());
        Assert.Equal("The chair and the vice-chair must be different people.", (Board with { ViceChair = "chair" }).Problem());
        Assert.Equal("The Partnership Board has 2 members, fewer than its quorum of 3.", (Board with { Members = ["chair", "vice"] }).Problem());
        Assert.Equal("A chair may act alone only when the body has a chair.", (Board with { Chair = null }).Problem());
    }

    [Fact]
    public void A_registered_interest_holds_between_its_dates_and_the_register_is_due_for_review_each_year()
    {
        var register = new InterestRegister("m6", [new Interest("GB-CHC-1234567", "Top Families", "Trustee", new DateOnly(2010, 4, 1), new DateOnly(2011, 12, 31))], new DateOnly(2011, 1, 10));

        Assert.Equal("Trustee", register.In("gb-chc-1234567", new DateOnly(2011, 12, 7))?.Nature);
        Assert.Null(register.In("GB-CHC-1234567", new DateOnly(2012, 1, 1)));
        Assert.Null(register.In("GB-CHC-7654321", new DateOnly(2011, 12, 7)));
        Assert.False(register.ReviewDue(new DateOnly(2012, 1, 9)));
        Assert.True(register.ReviewDue(new DateOnly(2012, 1, 10)));
        Assert.True(InterestRegister.Empty("m1").ReviewDue(new DateOnly(2011, 1, 1)));
        Assert.Equal("An interest ends on or after the day it began.", (register.Interests[0] with { Until = new DateOnly(2010, 3, 31) }).Problem());
    }
}

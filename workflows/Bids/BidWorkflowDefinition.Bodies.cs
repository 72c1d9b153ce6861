using Partnership.Workflows.Decisions;

namespace Partnership.Workflows.Bids;

/// <summary>
/// From version 4, HCE and the Board decide as bodies. A member proposes HCE's recommendation as a motion (the chair
/// proposes any other in its place); the Board is put HCE's recommendation as its motion. Members vote in writing,
/// each first saying whether they have an interest in the applicant; the motion carries by the fund's rules, the chair
/// may act alone within a limit, and an objection or a window that closes undecided sends it to the next meeting,
/// whose decision a coordinator records against the quorum. Money moves only when the Board's motion carries.
/// </summary>
public sealed partial class BidWorkflowDefinition
{
    public const int BodiesVersion = 4;

    private static readonly BidStage[] Deciding = [BidStage.HceRecommendation, BidStage.BoardApproval];

    private static IEnumerable<Transition> BodyTransitions() =>
    [
            new()
            {
                Command = typeof(RecommendApproval), Action = "propose that HCE recommends approval",
                From = [BidStage.HceRecommendation], Roles = [Role.HceMember],
                Guard = "an amount in whole pence and the budget line it would come from; a member of HCE with no interest in the applicant; only the chair replaces a motion already put",
                Records = [nameof(MotionPut), nameof(VoteRecorded), nameof(MotionSentToMeeting)],
                Asks = ["put the motion to HCE's members who may take part, by the due date", "close the window when it is due"],
                Check = s => s.Cmd<RecommendApproval>().Amount.Problem("The recommended amount")
                    ?? (s.Cmd<RecommendApproval>().BudgetLineId is null ? "Name the budget line the Board would draw the amount from." : null)
                    ?? ProposalProblem(s),
                Apply = s => Propose(s, new MotionTerms(RecommendationKind.Approve, s.Cmd<RecommendApproval>().Amount, s.Cmd<RecommendApproval>().BudgetLineId, Trimmed(s.Cmd<RecommendApproval>().Conditions))),
            },
            new()
            {
                Command = typeof(DeferDecision), Action = "propose that HCE defers its recommendation",
                From = [BidStage.HceRecommendation], Roles = [Role.HceMember],
                Guard = "a date after today and a reason; a member of HCE with no interest in the applicant; only the chair replaces a motion already put",
                Records = [nameof(MotionPut), nameof(VoteRecorded), nameof(MotionSentToMeeting)],
                Asks = ["put the motion to HCE's members who may take part, by the due date", "close the window when it is due"],
                Check = s => (s.Cmd<DeferDecision>().Until <= s.Today ? "Defer to a date after today." : Required(s.Cmd<DeferDecision>().Reason, "Give a reason for deferring."))
                    ?? ProposalProblem(s),
                Apply = s => Propose(s, new MotionTerms(RecommendationKind.Defer, null, null, s.Cmd<DeferDecision>().Reason.Trim(), s.Cmd<DeferDecision>().Until)),
            },
            new()
            {
                Command = typeof(RecommendRejection), Action = "propose that HCE recommends rejection",
                From = [BidStage.HceRecommendation], Roles = [Role.HceMember],
                Guard = "reasons the applicant can read; a member of HCE with no interest in the applicant; only the chair replaces a motion already put",
                Records = [nameof(MotionPut), nameof(VoteRecorded), nameof(MotionSentToMeeting)],
                Asks = ["put the motion to HCE's members who may take part, by the due date", "close the window when it is due"],
                Check = s => Required(s.Cmd<RecommendRejection>().Reasons, "Give the reasons for rejecting the bid.") ?? ProposalProblem(s),
                Apply = s => Propose(s, new MotionTerms(RecommendationKind.Reject, null, null, s.Cmd<RecommendRejection>().Reasons.Trim())),
            },
            .. MemberTransitions(BidStage.HceRecommendation, Role.HceMember, [nameof(HceRecommendedApproval), nameof(HceDeferred), nameof(HceRecommendedRejection), nameof(MotionPut)], [BidStage.BoardApproval, BidStage.Rejected]),
            .. MemberTransitions(BidStage.BoardApproval, Role.BoardMember, [nameof(BoardApproved)], [BidStage.Contracting]),
            new()
            {
                Command = typeof(FireTimer), Timer = TimerPurpose.MotionCloses, Action = "close a written procedure's window",
                From = Deciding, Roles = [Role.System],
                Guard = "the timer is still pending", Records = [nameof(MotionSentToMeeting)],
                Asks = ["tell the coordinators the motion goes to the next meeting"],
                Apply = s =>
                {
                    s.Forget(s.FiredTimer!);
                    if (s.State.PendingMotion is { Status: MotionStatus.Open } motion)
                    {
                        Settle(s, motion.Close(s.Now));
                    }
                },
            },
            Meeting(BidStage.HceRecommendation, [BidStage.BoardApproval, BidStage.Rejected]),
            Meeting(BidStage.BoardApproval, [BidStage.Contracting, BidStage.Rejected]),
            new()
            {
                Command = typeof(FireTimer), Timer = TimerPurpose.DeferralEnds, Action = "put a deferred motion again",
                From = Deciding, Roles = [Role.System],
                Guard = "the timer is still pending", Records = [nameof(DeferralEnded), nameof(MotionPut)],
                Asks = ["put the motion to the body's members again, with a new due date"],
                Apply = s =>
                {
                    s.Forget(s.FiredTimer!);
                    s.Record(new DeferralEnded(s.State.Recommendation?.DeferredUntil ?? s.Today));
                    if (s.State.Stage == BidStage.BoardApproval && s.State.Recommendation is { Kind: RecommendationKind.Approve } recommended)
                    {
                        Put(s, BodyKind.Board, new MotionTerms(RecommendationKind.Approve, recommended.Amount, recommended.BudgetLineId, recommended.Conditions), "hce");
                    }
                    else
                    {
                        s.StartDecisionWindow(Audience.HceMembers, "decision-prompt-hce", s.Settings.Governance.TakingPart(BodyKind.Hce));
                    }
                },
            },
    ];

    /// <summary>What a member of the body deciding in <paramref name="stage"/> does on its motion; <paramref name="carrying"/> is what a carried motion records.</summary>
    private static IEnumerable<Transition> MemberTransitions(BidStage stage, Role member, string[] carrying, BidStage[] carriedTo) =>
    [
            new()
            {
                Command = typeof(CastVote), Action = "vote on the motion before your body",
                From = [stage], Roles = [member], WhenCarried = carriedTo,
                Guard = "the motion still open and a member it was put to with no interest in the applicant, who has not voted; a reason for an objection",
                Records = [nameof(VoteRecorded), nameof(InterestDeclared), nameof(MotionCarried), nameof(MotionSentToMeeting), .. carrying],
                Asks = ["when the motion carries, what it decides takes effect", "when it goes to a meeting, tell the coordinators"],
                Check = s =>
                {
                    var vote = s.Cmd<CastVote>();
                    if (MotionProblem(s, vote.MotionId) is { } problem)
                    {
                        return problem;
                    }

                    var motion = s.State.PendingMotion!;
                    if (vote.Interest is not null)
                    {
                        return Required(vote.Interest, "Say what your interest in the applicant is.")
                            ?? (motion.Status != MotionStatus.Open || !motion.Members.Contains(vote.Actor.UserId) ? motion.Refusal(vote.Actor.UserId) : null);
                    }

                    if (s.Settings.Governance.Interests.TryGetValue(vote.Actor.UserId, out var registered))
                    {
                        return $"You have an interest in the applicant on your register ({registered}), so you take no part in this item.";
                    }

                    return Enum.IsDefined(vote.Choice) ? motion.Refusal(vote.Actor.UserId) ?? (vote.Choice == VoteChoice.Objects ? Required(vote.Reason, "Give the reason for your objection; it goes to the meeting.") : null)
                        : "Agree, object or abstain.";
                },
                Apply = s =>
                {
                    var vote = s.Cmd<CastVote>();
                    var motion = s.State.PendingMotion!;
                    if (vote.Interest is { } nature)
                    {
                        s.Record(new InterestDeclared(motion.Id, nature.Trim()));
                        Settle(s, motion.Declare(vote.Actor.UserId, nature.Trim(), s.Now));
                        return;
                    }

                    s.Record(new VoteRecorded(motion.Id, vote.Choice, Trimmed(vote.Reason)));
                    Settle(s, motion.Cast(vote.Actor.UserId, new Vote(vote.Choice, Trimmed(vote.Reason), s.Now), s.Now));
                },
            },
            new()
            {
                Command = typeof(ActAsChair), Action = "decide the motion alone as chair",
                From = [stage], Roles = [member], WhenCarried = [carriedTo[0]],
                Guard = "the chair (or the vice-chair, when the chair has an interest) of the body, the motion still open, to agree an amount within the chair's limit",
                Records = [nameof(MotionCarried), .. carrying],
                Asks = ["what the motion decides takes effect", "reported to the body's next meeting"],
                Check = s =>
                {
                    if (MotionProblem(s, s.Cmd<ActAsChair>().MotionId) is { } problem)
                    {
                        return problem;
                    }

                    var motion = s.State.PendingMotion!;
                    return motion.Status != MotionStatus.Open ? motion.Refusal(s.Command.Actor.UserId)
                        : motion.Terms is not { Decision: RecommendationKind.Approve, Amount: { } amount } ? "The chair acts alone only to agree an amount; the members decide the rest."
                        : BodyOf(s, motion.Body)?.ChairsActionProblem(s.Command.Actor.UserId, amount, Interested(s, motion));
                },
                Apply = s => Settle(s, s.State.PendingMotion! with { Status = MotionStatus.Carried, Outcome = "the chair acted alone, to be reported to the next meeting", SettledAt = s.Now }, byChair: true),
            },
    ];

    /// <summary>A coordinator records what the meeting of the body deciding in <paramref name="stage"/> decided on the item.</summary>
    private static Transition Meeting(BidStage stage, BidStage[] carriedTo) =>
        new()
        {
            Command = typeof(RecordMeetingDecision), Action = "record the meeting's decision",
            From = [stage], Roles = [Role.Coordinator], WhenCarried = carriedTo,
            Guard = "a motion before the body; those attending are its members; the item is quorate without the members with an interest in it; a minute reference; changed terms for an amended motion, a later date for a deferral, a reason for a rejection",
            Records = [nameof(MeetingDecided), nameof(MotionCarried), nameof(HceRecommendedApproval), nameof(HceDeferred), nameof(HceRecommendedRejection), nameof(MotionPut), nameof(BoardApproved), nameof(BoardRejected)],
            Asks = ["what the meeting decided takes effect at once"],
            Check = MeetingProblem,
            Apply = s =>
            {
                var command = s.Cmd<RecordMeetingDecision>();
                var motion = s.State.PendingMotion!;
                var body = BodyOf(s, motion.Body)!;
                var quorum = QuorumCheck.Of(body, command.Attended, motion.Interests.Keys.ToHashSet());
                var terms = command.Outcome switch
                {
                    MeetingOutcome.AgreedWithChanges => motion.Terms with { Amount = command.Amount, Text = Trimmed(command.Text) ?? motion.Terms.Text },
                    MeetingOutcome.Deferred => new MotionTerms(RecommendationKind.Defer, null, null, command.Text!.Trim(), command.DeferTo),
                    MeetingOutcome.Rejected => new MotionTerms(RecommendationKind.Reject, null, null, command.Text!.Trim()),
                    _ => motion.Terms,
                };
                s.Record(new MeetingDecided(motion.Id, command.Held, command.Outcome, command.Minute.Trim(), quorum.Counted.AddRange(quorum.CountedOut), quorum.CountedOut, terms));
                Settle(s, motion with { Terms = terms, Status = MotionStatus.Carried, Outcome = $"decided at the meeting of {command.Held:d MMMM yyyy}, minute {command.Minute.Trim()}", SettledAt = s.Now });
            },
        };

    private static DecisionBody? BodyOf(Step s, BodyKind kind) => s.Settings.Governance.Bodies.GetValueOrDefault(kind);

    /// <summary>Who has an interest in the item: declared or registered when the motion was put, or on a register since.</summary>
    private static HashSet<string> Interested(Step s, Motion motion) => [.. motion.Interests.Keys, .. s.Settings.Governance.Interests.Keys];

    private static string? ProposalProblem(Step s)
    {
        var proposer = s.Command.Actor.UserId;
        if (BodyOf(s, BodyKind.Hce) is not { } hce)
        {
            return "HCE has no members for this fund yet; a coordinator names them in the fund's settings.";
        }

        if (!hce.HasMember(proposer))
        {
            return "You are not a member of HCE for this fund.";
        }

        if (s.Settings.Governance.Interests.TryGetValue(proposer, out var nature))
        {
            return $"You have an interest in the applicant ({nature}), so you take no part in this item.";
        }

        return s.State.PendingMotion is { } pending && hce.ChairFor(pending.Interests.Keys.ToHashSet()) != proposer
            ? $"HCE already has a motion before it ({pending.Terms.Describe()}). Vote on it; a different recommendation is a new motion, which only the chair proposes."
            : null;
    }

    private static string? MotionProblem(Step s, string motionId) =>
        s.State.PendingMotion is not { } motion ? "There is no motion before the body on this bid."
        : motion.Id != motionId ? $"That motion has been replaced; the body is now asked: {motion.Terms.Describe()}."
        : null;

    private static string? MeetingProblem(Step s)
    {
        var command = s.Cmd<RecordMeetingDecision>();
        if (s.State.PendingMotion is not { } motion || BodyOf(s, motion.Body) is not { } body)
        {
            return "There is no motion before the body on this bid.";
        }

        if (command.Attended.FirstOrDefault(a => !body.HasMember(a)) is { } stranger)
        {
            return $"'{stranger}' is not a member of {body.Name}.";
        }

        var quorum = QuorumCheck.Of(body, command.Attended, Interested(s, motion));
        if (!quorum.IsQuorate)
        {
            return $"This item is inquorate: {quorum.Counted.Length} members without an interest in it attended, and {quorum.Required} are needed. It cannot be decided at this meeting.";
        }

        return Required(command.Minute, "Give the minute reference.")
            ?? (command.Held > s.Today ? "A meeting's decision is recorded on or after the day it is held." : null)
            ?? command.Outcome switch
            {
                MeetingOutcome.AgreedWithChanges => motion.Terms.Decision != RecommendationKind.Approve ? "Only an amount can be agreed with changes; record a different outcome."
                    : command.Amount is not { } amount ? "Give the amount agreed."
                    : amount.Problem("The amount agreed"),
                MeetingOutcome.Deferred => command.DeferTo is not { } until || until <= s.Today ? "Defer to a date after today." : Required(command.Text, "Give the reason for deferring."),
                MeetingOutcome.Rejected => Required(command.Text, "Give the reasons for rejecting, which the applicant reads."),
                MeetingOutcome.Agreed => null,
                _ => "Record the outcome: agreed, agreed with changes, deferred or rejected.",
            };
    }

    /// <summary>Puts an HCE member's proposal to HCE, in place of any motion before it (only the chair may replace one).</summary>
    private static void Propose(Step s, MotionTerms terms)
    {
        if (s.State.PendingMotion is { } replaced)
        {
            s.State = s.State with { Motions = s.State.Motions.Replace(replaced, replaced.Supersede(s.Now)) };
            s.CancelDecisionTimers();
        }

        Put(s, BodyKind.Hce, terms, s.Command.Actor.UserId);
    }

    /// <summary>
    /// Opens a written procedure on <paramref name="terms"/> to the members who may take part (those with a registered
    /// interest are neither prompted nor counted), for the stage's decision window.
    /// </summary>
    private static void Put(Step s, BodyKind kind, MotionTerms terms, string proposer)
    {
        var body = BodyOf(s, kind) ?? throw new InvalidOperationException($"The fund has no {kind} to put a motion to.");
        var id = $"{kind}-{s.NextVersion}".ToLowerInvariant();
        var interests = s.Settings.Governance.Interests;
        s.StartDecisionWindow(kind == BodyKind.Hce ? Audience.HceMembers : Audience.BoardMembers, kind == BodyKind.Hce ? "vote-prompt-hce" : "vote-prompt-board",
            [.. s.Settings.Governance.TakingPart(kind).Where(m => m != proposer)]);
        var motion = Motion.Open(id, body, terms, proposer, s.Now, s.State.DecisionDueAt!.Value, interests);
        s.State = s.State with { Motions = s.State.Motions.Add(motion) };
        s.Record(new MotionPut(id, kind, terms, proposer, motion.ClosesAt, motion.Members, motion.Interests));
        if (motion.Votes.ContainsKey(proposer))
        {
            s.Record(new VoteRecorded(id, VoteChoice.Agrees, null));
        }

        s.SetTimer(TimerPurpose.MotionCloses, motion.ClosesAt, id);
        Settle(s, motion, opened: true);
    }

    /// <summary>Keeps the motion as it now stands and carries out what it comes to: a decision that takes effect, or a place on the next meeting's agenda.</summary>
    private static void Settle(Step s, Motion motion, bool byChair = false, bool opened = false)
    {
        var before = s.State.Motions.Last(m => m.Id == motion.Id);
        s.State = s.State with { Motions = s.State.Motions.Replace(before, motion) };
        if (!opened && before.Status == motion.Status)
        {
            return;
        }

        if (motion.Status == MotionStatus.ToMeeting)
        {
            s.Record(new MotionSentToMeeting(motion.Id, motion.Outcome!));
            s.CancelDecisionTimers();
            s.State = s.State with { DecisionDueAt = null };
            s.Notify(Audience.Coordinators, "motion-to-meeting");
            return;
        }

        if (motion.Status != MotionStatus.Carried)
        {
            return;
        }

        // A motion reaches here carried once only: a carried motion is no longer pending, so nothing votes on it again.
        s.Record(new MotionCarried(motion.Id, motion.Outcome!, byChair));
        var terms = motion.Terms;
        switch (motion.Body, terms.Decision)
        {
            case (BodyKind.Hce, RecommendationKind.Approve):
                RecommendedApproval(s, terms.Amount!, terms.Text, terms.BudgetLineId, motion.ProposedBy);
                Put(s, BodyKind.Board, terms, "hce");
                break;
            case (BodyKind.Hce, RecommendationKind.Reject):
                RecommendedRejection(s, terms.Text!, motion.ProposedBy);
                break;
            case (BodyKind.Hce, RecommendationKind.Defer):
                Deferred(s, terms.DeferTo!.Value, terms.Text!, motion.ProposedBy);
                break;
            case (BodyKind.Board, RecommendationKind.Defer):
                s.CancelDecisionTimers();
                s.State = s.State with { DecisionDueAt = null };
                s.SetTimer(TimerPurpose.DeferralEnds, s.MorningOf(terms.DeferTo!.Value));
                s.Notify(Audience.Coordinators, "decision-deferred");
                s.Notify(Audience.Applicant, "decision-deferred");
                break;
            case (BodyKind.Board, RecommendationKind.Approve):
                BoardApproval(s, terms.Amount!, terms.BudgetLineId!, terms.Text);
                break;
            default:
                BoardRejection(s, terms.Text!);
                break;
        }
    }
}

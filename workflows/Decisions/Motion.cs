using System.Collections.Immutable;
using Partnership.Workflows.Bids;

namespace Partnership.Workflows.Decisions;

/// <summary>What a body is asked to agree: the decision, the amount and the budget line it comes from, and any conditions or reasons.</summary>
public sealed record MotionTerms(RecommendationKind Decision, Funding? Amount, string? BudgetLineId, string? Text, DateOnly? DeferTo = null)
{
    public string Describe() => Decision switch
    {
        RecommendationKind.Approve => $"Agree {Money.Pounds(Amount?.Total ?? 0m)}" + (BudgetLineId is null ? "" : $" from {BudgetLineId}") + (string.IsNullOrWhiteSpace(Text) ? "" : $", on condition: {Text}"),
        RecommendationKind.Defer => $"Defer to {DeferTo:d MMMM yyyy}: {Text}",
        _ => $"Reject: {Text}",
    };
}

public enum VoteChoice
{
    Agrees,
    Objects,
    Abstains,
}

/// <summary>A member's answer on a motion, given after saying they have no interest in the applicant.</summary>
public sealed record Vote(VoteChoice Choice, string? Reason, DateTimeOffset At);

public enum MotionStatus
{
    /// <summary>Waiting for the members' votes by written procedure.</summary>
    Open,

    /// <summary>Carried by written procedure, or by the chair acting alone.</summary>
    Carried,

    /// <summary>An objection, a window closed undecided or too few eligible members: it goes on the next meeting's agenda.</summary>
    ToMeeting,

    /// <summary>Replaced by a new motion on different terms.</summary>
    Superseded,
}

/// <summary>
/// One motion before HCE or the Board on one bid, decided by written procedure between meetings: the members it was
/// put to, their interests, their votes, and so whether it has carried or goes to the next meeting. The members and
/// the rules are those when it was opened, so a later change to the body does not move a count already made.
/// </summary>
public sealed record Motion(
    string Id,
    BodyKind Body,
    MotionTerms Terms,
    string ProposedBy,
    DateTimeOffset OpenedAt,
    DateTimeOffset ClosesAt,
    ImmutableArray<string> Members,
    BodyRules Rules,
    ImmutableDictionary<string, string> Interests,
    ImmutableDictionary<string, Vote> Votes,
    MotionStatus Status = MotionStatus.Open,
    string? Outcome = null,
    DateTimeOffset? SettledAt = null)
{
    /// <summary>
    /// Puts terms to a body: members with a registered interest in the applicant (member to its nature) take no part.
    /// The proposer agrees to what they propose.
    /// </summary>
    public static Motion Open(string id, DecisionBody body, MotionTerms terms, string proposedBy, DateTimeOffset at, DateTimeOffset closesAt, IReadOnlyDictionary<string, string> registered)
    {
        ArgumentNullException.ThrowIfNull(body);
        var motion = new Motion(
            id, body.Kind, terms, proposedBy, at, closesAt, body.Members, body.Rules,
            registered.Where(r => body.HasMember(r.Key)).ToImmutableDictionary(StringComparer.Ordinal),
            ImmutableDictionary.Create<string, Vote>(StringComparer.Ordinal));
        return body.HasMember(proposedBy) && !motion.Interests.ContainsKey(proposedBy)
            ? (motion with { Votes = motion.Votes.Add(proposedBy, new Vote(VoteChoice.Agrees, null, at)) }).Counted(at)
            : motion.Counted(at);
    }

    public ImmutableArray<string> Eligible => [.. Members.Where(m => !Interests.ContainsKey(m))];

    public int Agreeing => Votes.Values.Count(v => v.Choice == VoteChoice.Agrees);

    /// <summary>How many must agree for the motion to carry in writing.</summary>
    public int Needed => Math.Max(Rules.WrittenMinimumAgreeing, Rules.WrittenMajority.MoreThanOf(Eligible.Length));

    /// <summary>Why this member may not vote on the motion now, or null when they may.</summary>
    public string? Refusal(string member)
    {
        if (Status != MotionStatus.Open)
        {
            return Status switch
            {
                MotionStatus.Carried => $"This motion was decided on {SettledAt:d MMMM yyyy}; your vote was not needed and is not recorded.",
                MotionStatus.ToMeeting => $"This motion has gone to the next meeting ({Outcome}); it will be decided there.",
                _ => "This motion has been replaced by another; vote on the motion as it stands now.",
            };
        }

        if (!Members.Contains(member, StringComparer.Ordinal))
        {
            return "You are not a member of the body this motion was put to.";
        }

        if (Interests.TryGetValue(member, out var nature))
        {
            return $"You have an interest in the applicant ({nature}), so you take no part in this item.";
        }

        return Votes.ContainsKey(member) ? "You have already voted on this motion." : null;
    }

    /// <summary>A member says they have an interest in the applicant: they take no part, and no longer count among those eligible.</summary>
    public Motion Declare(string member, string nature, DateTimeOffset at) =>
        (this with { Interests = Interests.SetItem(member, nature), Votes = Votes.Remove(member) }).Counted(at);

    public Motion Cast(string member, Vote vote, DateTimeOffset at) =>
        (this with { Votes = Votes.Add(member, vote) }).Counted(at);

    /// <summary>The window closes with the motion still open: it goes to the next meeting.</summary>
    public Motion Close(DateTimeOffset at) =>
        Status == MotionStatus.Open ? this with { Status = MotionStatus.ToMeeting, Outcome = "the window closed without enough members agreeing", SettledAt = at } : this;

    public Motion Supersede(DateTimeOffset at) => this with { Status = MotionStatus.Superseded, SettledAt = at };

    private Motion Counted(DateTimeOffset at)
    {
        if (Votes.Values.FirstOrDefault(v => v.Choice == VoteChoice.Objects) is { } objection)
        {
            return this with { Status = MotionStatus.ToMeeting, Outcome = $"a member objected: {objection.Reason}", SettledAt = at };
        }

        if (Eligible.Length < Rules.WrittenMinimumAgreeing)
        {
            return this with { Status = MotionStatus.ToMeeting, Outcome = $"only {Eligible.Length} of the members may take part, too few to decide in writing", SettledAt = at };
        }

        return Agreeing >= Needed ? this with { Status = MotionStatus.Carried, Outcome = $"{Agreeing} of {Eligible.Length} eligible members agreed", SettledAt = at } : this;
    }
}

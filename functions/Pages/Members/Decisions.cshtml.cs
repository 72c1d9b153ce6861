using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Decisions;
using Partnership.Functions.Identity;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Members;

/// <summary>
/// The bids waiting for the signed-in HCE or Board member's decision, soonest due first. Each opens the same
/// decision form the emailed link opens, through a link made for this member now: one form, two ways in.
/// </summary>
[Authorize(Roles = $"{nameof(Role.HceMember)},{nameof(Role.BoardMember)}")]
public sealed class DecisionsModel(DecisionLinks links, Reports.ReportBuilder reports, Governance.InterestStore interests, TimeProvider clock, WorkingCalendar calendar) : PageModel
{
    public const string Path = "/decisions";

    public IReadOnlyList<(BidSummary Bid, string Link)> Waiting { get; private set; } = [];

    /// <summary>For Board members: the budget as it would stand if they agreed every recommendation before them.</summary>
    public Reports.BoardAgenda? Agenda { get; private set; }

    /// <summary>Members are asked once a year to check their register of interests still stands.</summary>
    public bool ReviewDue { get; private set; }

    public string Body => User.Actor().Role == Role.HceMember ? "HCE" : "the Partnership Board";

    /// <summary>
    /// Whether the bid waits for this member: from version 4, a motion they may vote on and have not, or HCE's
    /// proposal still to make; never a bid from an organisation on their register.
    /// </summary>
    public static bool TakesPart(BidState bid, string userId, Partnership.Workflows.Decisions.InterestRegister register, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(bid);
        ArgumentNullException.ThrowIfNull(register);
        if (bid.DefinitionVersion < BidWorkflowDefinition.BodiesVersion)
        {
            return true;
        }

        return register.In(bid.OrganisationId, today) is null && bid.PendingMotion switch
        {
            null => bid.Stage == BidStage.HceRecommendation,
            { Status: Partnership.Workflows.Decisions.MotionStatus.Open } motion => motion.Refusal(userId) is null,
            _ => false,
        };
    }

    /// <summary>The stage whose decisions are this member's body's to make.</summary>
    public static BidStage StageFor(Role role) => role == Role.HceMember ? BidStage.HceRecommendation : BidStage.BoardApproval;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var actor = User.Actor();
        var stage = StageFor(actor.Role);
        var today = calendar.LocalDate(clock.GetUtcNow());
        var register = (await interests.FindAsync(actor.UserId, ct)).Register;
        Waiting = [.. (await reports.AwaitingDecisionAsync(stage, ct))
            .Where(w => TakesPart(w.State, actor.UserId, register, today))
            .Select(w => (w.Bid, $"/decisions/{links.Create(w.State, actor.UserId)}"))];
        ReviewDue = register.ReviewDue(today);
        if (stage == BidStage.BoardApproval)
        {
            Agenda = await reports.BoardAgendaAsync(null, ct);
        }
    }
}

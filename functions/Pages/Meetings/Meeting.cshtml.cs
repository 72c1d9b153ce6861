using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Governance;
using Partnership.Functions.Identity;
using Partnership.Functions.Pages.Components;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Pages.Meetings;

/// <summary>
/// A coordinator runs a meeting of HCE or the Board: its date and who attended, the motions before it with who takes
/// no part in each, whether each item is quorate, and what was decided with its minute. Nothing is recorded unless
/// every decided item is in order and quorate; each decision then takes effect on its bid.
/// </summary>
[Authorize(Roles = nameof(Role.Coordinator))]
public sealed class MeetingModel(MeetingAgenda agendas, BidCommandService commands, TimeProvider clock, WorkingCalendar calendar) : PageModel
{
    public static readonly (string Value, string Label)[] Outcomes =
    [
        ("", "Not decided at this meeting"), (nameof(MeetingOutcome.Agreed), "Agreed"), (nameof(MeetingOutcome.AgreedWithChanges), "Agreed with a different amount"),
        (nameof(MeetingOutcome.Deferred), "Deferred"), (nameof(MeetingOutcome.Rejected), "Rejected"),
    ];

    public Agenda Agenda { get; private set; } = null!;

    public DateInput Held { get; private set; } = DateInput.Of("held", "Date of the meeting", null);

    public IReadOnlySet<string> Attended { get; private set; } = new HashSet<string>();

    /// <summary>After a post: the meeting's date, for its decisions record.</summary>
    public DateOnly? HeldOn { get; private set; }

    /// <summary>After a post: what each decided item came to, recorded or refused by its bid.</summary>
    public IReadOnlyList<(AgendaItem Item, CommandResult Result)> Recorded { get; private set; } = [];

    /// <summary>A field of one item, named by its bid: motions on different bids may share an id.</summary>
    public static string Field(string name, AgendaItem item) => $"{name}-{item.Bid.BidId}";

    public QuorumCheck Quorum(AgendaItem item) => QuorumCheck.Of(Agenda.Body, Attended, item.Interests.Keys.ToHashSet());

    public async Task<IActionResult> OnGetAsync(string fundId, string body, CancellationToken ct)
    {
        if (Bodies.Parse(body) is not { } kind || await agendas.ForAsync(fundId, kind, ct) is not { } agenda)
        {
            return NotFound();
        }

        Agenda = agenda;
        Held = DateInput.Of("held", "Date of the meeting", calendar.LocalDate(clock.GetUtcNow()));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string fundId, string body, CancellationToken ct)
    {
        if (await OnGetAsync(fundId, body, ct) is not PageResult)
        {
            return NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        var held = DateField.Read(Request.Form, "held", "The date of the meeting", errors, out var shown, Held.Legend);
        Held = shown;
        var today = calendar.LocalDate(clock.GetUtcNow());
        if (held is null && !errors.ContainsKey("held"))
        {
            errors["held"] = ["Enter the date of the meeting."];
        }
        else if (held > today)
        {
            errors["held"] = ["Record a meeting on or after the day it is held."];
        }

        Attended = Request.Form["attended"].OfType<string>().Where(Agenda.Body.HasMember).ToHashSet(StringComparer.Ordinal);
        if (Attended.Count == 0)
        {
            errors["attended"] = ["Choose the members who attended."];
        }

        var decisions = new List<(AgendaItem Item, RecordMeetingDecision Command)>();
        foreach (var item in Agenda.Items)
        {
            if (Read(item, held ?? today, today, errors) is { } command)
            {
                decisions.Add((item, command));
            }
        }

        if (decisions.Count == 0 && errors.Count == 0)
        {
            errors["agenda"] = [Agenda.Items.Count == 0 ? "There is nothing on the agenda to decide." : "Record the outcome of at least one item."];
        }

        if (errors.Count > 0)
        {
            ModelState.AddAll(errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var recorded = new List<(AgendaItem, CommandResult)>();
        foreach (var (item, command) in decisions)
        {
            var key = $"meeting:{Agenda.Body.Kind}:{command.Held:yyyy-MM-dd}:{item.Motion.Id}";
            var result = await commands.SettledAsync(item.Bid.BidId, command.Actor, key, await commands.ExecuteAsync(item.Bid.BidId, command, key, ct), ct);
            recorded.Add((item, result));
        }

        (Recorded, HeldOn) = (recorded, held);
        Agenda = (await agendas.ForAsync(fundId, Agenda.Body.Kind, ct))!;
        return Page();
    }

    /// <summary>The decision recorded against one item, or null where it was not decided or is not in order (its problems then in <paramref name="errors"/>).</summary>
    private RecordMeetingDecision? Read(AgendaItem item, DateOnly held, DateOnly today, Dictionary<string, string[]> errors)
    {
        var motion = item.Motion;
        var chosen = Request.Form[Field("outcome", item)].ToString();
        if (chosen.Length == 0)
        {
            return null;
        }

        var title = item.Bid.Title;
        if (!Enum.TryParse<MeetingOutcome>(chosen, out var outcome) || !Enum.IsDefined(outcome))
        {
            errors[Field("outcome", item)] = [$"{title}: choose the outcome."];
            return null;
        }

        var minute = Request.Form[Field("minute", item)].ToString().Trim();
        if (minute.Length is 0 or > 50)
        {
            errors[Field("minute", item)] = [$"{title}: give the minute reference, in at most 50 characters."];
        }

        if (Attended.Count > 0 && Quorum(item) is { IsQuorate: false } quorum)
        {
            errors[Field("outcome", item)] = [$"{title} is inquorate: {quorum.Counted.Length} members without an interest in it attended and {quorum.Required} are needed, so it cannot be decided at this meeting."];
        }

        Funding? amount = null;
        if (outcome == MeetingOutcome.AgreedWithChanges)
        {
            if (!MoneyText.TryParse(Request.Form[Field("amount", item)], out var pounds) || new Funding(pounds, 0m).Problem("The amount") is not null)
            {
                errors[Field("amount", item)] = [$"{title}: enter the amount agreed in pounds and pence, like 45000."];
            }
            else
            {
                amount = motion.Terms.Amount is { Revenue: 0m, Capital: > 0m } ? new Funding(0m, pounds) : new Funding(pounds, 0m);
            }
        }

        var text = Request.Form[Field("text", item)].ToString().Trim();
        DateOnly? deferTo = null;
        if (outcome == MeetingOutcome.Deferred)
        {
            deferTo = DateField.Read(Request.Form, Field("deferTo", item), $"{title}: the date it is deferred to", errors, out _, "Deferred to");
            if (deferTo is not { } until || until <= today)
            {
                errors.TryAdd(Field("deferTo", item), [$"{title}: defer to a date after today."]);
            }
        }

        if (outcome is MeetingOutcome.Deferred or MeetingOutcome.Rejected && text.Length == 0)
        {
            errors[Field("text", item)] = [$"{title}: give the reason, which the applicant reads."];
        }

        return errors.Keys.Any(k => k.EndsWith(item.Bid.BidId, StringComparison.Ordinal))
            ? null
            : new RecordMeetingDecision(User.Actor(), held, [.. Attended], outcome, minute, amount, text.Length == 0 ? null : text, deferTo);
    }

    public string Describe(string userId) => Agenda.Members.FirstOrDefault(m => m.Id == userId)?.DisplayName ?? userId;

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

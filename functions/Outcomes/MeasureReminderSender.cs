using Microsoft.Extensions.Options;
using Partnership.Functions.Decisions;
using Partnership.Functions.Identity;
using Partnership.Functions.Notifications;
using Partnership.Functions.Pages.Components;
using Partnership.Workflows;
using Partnership.Workflows.Grants;
using Partnership.Workflows.Outcomes;

namespace Partnership.Functions.Outcomes;

/// <summary>
/// Chases the outcome measures' quarterly figures on the framework's ladder (the quarterly returns' own until a
/// coordinator sets another): each step reached reminds the
/// measure's leads once, lateness past the ladder's escalation day goes once to the coordinators and past its HCE
/// day once to HCE members. Each message is recorded under its own key before the next run, so a run repeated (or
/// two at once after a restart) sends nothing twice; one that failed to go is tried again on the next run.
/// </summary>
public sealed class MeasureReminderSender(
    OutcomeStore store,
    UserDirectory users,
    IEmailChannel email,
    MessageLog log,
    MessageRenderer renderer,
    WorkingCalendar calendar,
    IOptions<DecisionLinkOptions> site,
    TimeProvider clock)
{
    /// <summary>How many messages went out.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var today = calendar.LocalDate(clock.GetUtcNow());
        var measures = await store.ListAsync(cancellationToken);
        var values = await store.AllValuesAsync(cancellationToken);
        var ladder = await store.LadderAsync(cancellationToken);
        IReadOnlyList<AppUser>? everyone = null;
        var sent = 0;
        foreach (var measure in measures)
        {
            foreach (var due in MeasureReminders.Due(measure, values[measure.Id], ladder, calendar, today))
            {
                everyone ??= await users.ListAsync(cancellationToken);
                var leads = everyone.Where(u => measure.IsLedBy(u.Id));
                sent += await SendAsync(measure, due, $"step{due.Step}", leads, toLead: true, today, cancellationToken);
                if (due.Escalation >= ReturnEscalation.Coordinators)
                {
                    sent += await SendAsync(measure, due, "coordinators", everyone.Where(u => u.Role == Role.Coordinator), toLead: false, today, cancellationToken);
                }

                if (due.Escalation >= ReturnEscalation.Hce)
                {
                    sent += await SendAsync(measure, due, "hce", everyone.Where(u => u.Role == Role.HceMember), toLead: false, today, cancellationToken);
                }
            }
        }

        return sent;
    }

    private async Task<int> SendAsync(PartnershipMeasure measure, MeasureReminder due, string rung, IEnumerable<AppUser> recipients, bool toLead, DateOnly today, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var user in recipients)
        {
            var key = $"measure|{measure.Id}|{due.Quarter.Key}|{rung}|{user.Id}";
            if (await log.LooseDoneAsync(key, cancellationToken))
            {
                continue;
            }

            var daysLate = today.DayNumber - due.DueOn.DayNumber;
            var subject = toLead
                ? $"{(daysLate > 0 ? "Overdue" : "Due")}: the {due.Quarter.Label} figure for {measure.Id} {measure.Title}"
                : $"Late: the {due.Quarter.Label} figure for {measure.Id} {measure.Title}, {daysLate} days";
            var message = await renderer.RenderMeasureReminderAsync(new MeasureReminderModel(
                user.DisplayName, subject, $"{measure.Id} {measure.Title}", due.Quarter.Label, Display.Date(due.DueOn), daysLate, toLead,
                string.Join(", ", measure.Leads.Select(l => l.Name)), $"{site.Value.BaseUrl.TrimEnd('/')}/outcomes/{measure.Id}"));
            ChannelResult result;
            try
            {
                result = await email.SendAsync(
                    new EmailMessage(user.Email, user.DisplayName, message.Subject, message.Text, message.Html, null, new Dictionary<string, string> { ["template"] = "measure-reminder" }),
                    cancellationToken);
            }
            catch (HttpRequestException e)
            {
                // The provider is busy or down: this one is recorded as failed and goes on the next run; the rest go now.
                result = new ChannelResult(false, e.Message);
            }

            await log.RecordLooseAsync(key, user.Email, "measure-reminder", message.Subject, message.Text, message.Html, "email", result.Delivered ? MessageLog.Sent : MessageLog.Failed, result.Detail, cancellationToken);
            sent += result.Delivered ? 1 : 0;
        }

        return sent;
    }
}

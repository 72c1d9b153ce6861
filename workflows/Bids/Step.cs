namespace Partnership.Workflows.Bids;

/// <summary>The working area of one transition: the state as it is being changed and what it records and asks for.</summary>
internal sealed class Step(BidState state, BidCommand command, DateTimeOffset now, BidWorkflowSettings settings)
{
    private static readonly TimeOnly DeadlineTime = new(17, 0);
    private static readonly TimeOnly MorningTime = new(9, 0);

    public BidState State { get; set; } = state;

    public BidCommand Command { get; } = command;

    public DateTimeOffset Now { get; } = now;

    public BidWorkflowSettings Settings { get; } = settings;

    public List<BidEvent> Events { get; } = [];

    public List<Effect> Effects { get; } = [];

    public List<BudgetMove> Moves { get; } = [];

    public PendingTimer? FiredTimer { get; init; }

    public T Cmd<T>()
        where T : BidCommand => (T)Command;

    public int NextVersion => State.Version + 1;

    public DateOnly Today => Settings.Calendar.LocalDate(Now);

    public void Record(BidEvent happened) => Events.Add(happened with { At = Now, By = Command.Actor.UserId });

    public void Notify(Audience to, string template, DateTimeOffset? respondBy = null) => Effects.Add(new Notify(to, template, respondBy));

    /// <summary>
    /// Leaving a stage ends every timer it was waiting on. Return reminders belong to their returns, not to a stage,
    /// and carry on into closing; a finished bid waits on nothing.
    /// </summary>
    public void MoveTo(BidStage stage)
    {
        CancelTimers(t => stage.IsFinished() || t.Purpose != TimerPurpose.ReturnReminder);
        State = State with { Stage = stage, StageEnteredAt = Now, DecisionDueAt = null };
    }

    public void CancelDecisionTimers() => CancelTimers(t => t.Purpose != TimerPurpose.ReturnReminder);

    public void CancelTimers(Func<PendingTimer, bool> which)
    {
        var ending = State.Timers.Where(which).ToList();
        foreach (var timer in ending)
        {
            Effects.Add(new CancelTimer(timer.Id));
        }

        State = State with { Timers = State.Timers.RemoveAll(t => ending.Contains(t)) };
    }

    public void SetTimer(TimerPurpose purpose, DateTimeOffset dueAt, string? subject = null, int step = 0)
    {
        var id = subject is null ? $"{State.Stage}-{purpose}-{NextVersion}" : $"{State.Stage}-{purpose}-{subject}-{NextVersion}";
        var timer = new PendingTimer(id.ToLowerInvariant(), purpose, State.Stage, dueAt, subject, step);
        State = State with { Timers = State.Timers.Add(timer) };
        Effects.Add(new SetTimer(timer));
    }

    /// <summary>
    /// Starts the current stage's decision window from the fund's deadlines: prompts whoever must act, with the
    /// due date, and sets the reminder (when it still lies ahead) and the escalation.
    /// </summary>
    public void StartDecisionWindow(Audience acting, string template, System.Collections.Immutable.ImmutableArray<string>? only = null)
    {
        var deadline = Settings.Deadlines.For(State.Stage)
            ?? throw new InvalidOperationException($"The {State.Stage} stage has no deadline configured.");
        var calendar = Settings.Calendar;
        var due = calendar.At(calendar.AddWorkingDays(Today, deadline.WorkingDays), DeadlineTime);
        State = State with { DecisionDueAt = due };
        Effects.Add(new Notify(acting, template, due) { Only = only });
        var remindAt = due.AddDays(-deadline.ReminderDaysBefore);
        if (deadline.ReminderDaysBefore > 0 && remindAt > Now)
        {
            SetTimer(TimerPurpose.DecisionReminder, remindAt);
        }

        SetTimer(TimerPurpose.DecisionEscalation, due.AddDays(deadline.EscalationDaysAfter));
    }

    public DateTimeOffset MorningOf(DateOnly day) => Settings.Calendar.At(day, MorningTime);

    /// <summary>Moves money between the bid and a budget line, recorded in the bid's ledger at the version this step makes.</summary>
    public void MoveMoney(string lineId, Funding change)
    {
        Moves.Add(new BudgetMove(lineId, change));
        State = State with { Ledger = State.Ledger.Add(new LedgerEntry(lineId, NextVersion, change)) };
    }

    public void Forget(PendingTimer timer) => State = State with { Timers = State.Timers.Remove(timer) };
}

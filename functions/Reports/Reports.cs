using System.Globalization;
using Partnership.Functions.Budgets;
using Partnership.Functions.Organisations;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;
using Partnership.Workflows.Budgets;
using Partnership.Workflows.Grants;

namespace Partnership.Functions.Reports;

/// <summary>Table 1 of the budget paper: what is left on each line, revenue and capital apart, with totals.</summary>
public sealed record BudgetSummary(IReadOnlyList<BudgetSummaryRow> Lines, Funding TotalUnallocated, IReadOnlyList<SetAsideRow> SetAsides);

public sealed record BudgetSummaryRow(string LineId, string Line, string FinancialYear, Funding Total, Funding Allocated, Funding SetAside, Funding Unallocated);

public sealed record SetAsideRow(string Line, string Purpose, Funding Amount);

/// <summary>One quarter's cell in Appendix 1: the actual spend once the return is in, otherwise the latest forecast, otherwise unknown.</summary>
public sealed record QuarterCell(string Quarter, string Label, Funding? Amount, bool IsActual);

/// <summary>Appendix 1 of the progress report.</summary>
public sealed record SpendRow(string BidId, string Project, string Organisation, Funding Awarded, IReadOnlyList<QuarterCell> Quarters, Funding SpendToDate, Funding? IdentifiedUnderspend, Funding? ProjectedUnderspend);

/// <summary>Appendix 2 of the progress report.</summary>
public sealed record ContractStatusRow(string BidId, string Organisation, string Project, BidStage Stage, string Status);

public sealed record ReturnRow(string BidId, string Project, string Organisation, string Quarter, DateOnly DueOn, int DaysLate, DateTimeOffset? LastReminderAt, ReturnEscalation Escalation, bool IsFinal);

/// <summary>An HCE recommendation waiting for the Board, as the budget paper's proposed action lists it.</summary>
public sealed record AwaitingBoard(string BidId, string Title, string Organisation, string Summary, Funding Amount, string? LineId, string? LineName, string? Conditions, DateTimeOffset? DecisionDueAt);

/// <summary>What waits for the Board, and Table 1 as it would stand if the Board agreed all of it.</summary>
public sealed record BoardAgenda(IReadOnlyList<AwaitingBoard> Items, BudgetOutlook Outlook);

public sealed record ReturnsReport(IReadOnlyList<ReturnRow> Overdue, IReadOnlyList<ReturnRow> DueWithin30Days);

/// <summary>An instalment not yet paid: held until a return is accepted, due, or not yet due.</summary>
public sealed record UnpaidInstalment(string BidId, string Project, string Organisation, int Number, DateOnly DueOn, Funding Amount, string? HeldUntilReturn, bool IsDue)
{
    public string Status => HeldUntilReturn is { } quarter ? $"Held until the {quarter} return" : IsDue ? "Due" : "Not yet due";
}

/// <summary>The finance officers' list: purchase orders to raise, and every instalment not yet paid, soonest due first.</summary>
public sealed record FinanceReport(IReadOnlyList<BidSummary> PurchaseOrders, IReadOnlyList<UnpaidInstalment> Unpaid);

/// <summary>A bid waiting for HCE's or the Board's decision, with its state as recorded, soonest due first.</summary>
public sealed record AwaitingDecision(BidSummary Bid, BidState State);

/// <summary>The coordinators' views, computed from the bid list read model and the budget lines: no bid partition is read.</summary>
public sealed partial class ReportBuilder(BidIndexProjection index, BidRepository repository, BudgetLedger ledger, OrganisationStore organisations, WorkingCalendar calendar, TimeProvider clock, ILogger<ReportBuilder> logger)
{
    private static readonly CultureInfo British = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>Reads each monitored bid's state for its instalments: the read model does not carry them.</summary>
    public async Task<FinanceReport> FinanceAsync(CancellationToken cancellationToken)
    {
        var names = await NamesAsync(cancellationToken);
        var unpaid = new List<UnpaidInstalment>();
        foreach (var bid in await index.ListAsync(null, null, BidStage.Monitoring, cancellationToken))
        {
            if ((await repository.LoadAsync(bid.BidId, cancellationToken))?.State is { } state)
            {
                unpaid.AddRange(state.Instalments.Where(i => state.Payments.All(p => p.Instalment != i.Number)).Select(i => new UnpaidInstalment(
                    state.BidId, state.Proposal.Title, names.GetValueOrDefault(state.OrganisationId, state.OrganisationId), i.Number, i.DueOn, i.Amount, i.HeldUntilReturn, i.DueOn <= Today)));
            }
        }

        return new FinanceReport(await index.ListAsync(null, null, BidStage.PurchaseOrder, cancellationToken), [.. unpaid.OrderBy(u => u.DueOn).ThenBy(u => u.Project, StringComparer.Ordinal)]);
    }

    /// <summary>The bids at <paramref name="stage"/> whose decision is still to be made, from their recorded state.</summary>
    public async Task<IReadOnlyList<AwaitingDecision>> AwaitingDecisionAsync(BidStage stage, CancellationToken cancellationToken)
    {
        var waiting = new List<AwaitingDecision>();
        foreach (var bid in (await index.ListAsync(null, null, stage, cancellationToken)).OrderBy(b => b.DecisionDueAt ?? DateTimeOffset.MaxValue))
        {
            if ((await repository.LoadAsync(bid.BidId, cancellationToken))?.State is { } state && state.Stage == stage && state.DecisionDueAt is not null)
            {
                waiting.Add(new AwaitingDecision(bid, state));
            }
        }

        return waiting;
    }

    public async Task<BudgetSummary> BudgetSummaryAsync(string? fundId, CancellationToken cancellationToken)
    {
        var lines = await ledger.LinesAsync(fundId, cancellationToken);
        var rows = lines.Select(l => new BudgetSummaryRow(l.Id, l.Name, l.FinancialYear, l.Total, l.Allocated, l.SetAsideTotal, l.Unallocated)).ToList();
        return new BudgetSummary(
            rows,
            rows.Aggregate(Funding.Zero, (sum, r) => sum + r.Unallocated),
            [.. lines.SelectMany(l => l.SetAsides.Select(s => new SetAsideRow(l.Name, s.Purpose, s.Amount)))]);
    }

    /// <summary>
    /// HCE's recommendations waiting for the Board, read from each bid's recorded state (they are few), with the budget
    /// as it would stand if the Board agreed every one: a shortfall shows before the meeting, not after it.
    /// </summary>
    public async Task<BoardAgenda> BoardAgendaAsync(string? fundId, CancellationToken cancellationToken)
    {
        var lines = await ledger.LinesAsync(fundId, cancellationToken);
        var names = await NamesAsync(cancellationToken);
        var items = new List<AwaitingBoard>();
        foreach (var bid in await index.ListAsync(fundId, null, BidStage.BoardApproval, cancellationToken))
        {
            if ((await repository.LoadAsync(bid.BidId, cancellationToken))?.State is { Stage: BidStage.BoardApproval, Recommendation: { Kind: RecommendationKind.Approve, Amount: { } amount } recommendation } state)
            {
                items.Add(new AwaitingBoard(
                    state.BidId, state.Proposal.Title, names.GetValueOrDefault(state.OrganisationId, state.OrganisationId), state.Proposal.Summary, amount,
                    recommendation.BudgetLineId, lines.FirstOrDefault(l => l.Id == recommendation.BudgetLineId)?.Name, recommendation.Conditions, state.DecisionDueAt));
            }
        }

        items.Sort((a, b) => (a.DecisionDueAt ?? DateTimeOffset.MaxValue).CompareTo(b.DecisionDueAt ?? DateTimeOffset.MaxValue) is var byDue and not 0 ? byDue : string.CompareOrdinal(a.Title, b.Title));
        return new BoardAgenda(items, BudgetOutlook.IfAllAgreed(lines, items.Select(i => new PendingAllocation(i.BidId, i.Title, i.Amount, i.LineId))));
    }

    public async Task<IReadOnlyList<SpendRow>> SpendMonitoringAsync(string? fundId, int? financialYear, CancellationToken cancellationToken)
    {
        var year = financialYear ?? FinancialQuarter.Containing(Today).Year;
        var quarters = Enumerable.Range(1, 4).Select(n => new FinancialQuarter(year, n)).ToList();
        var names = await NamesAsync(cancellationToken);
        return [.. (await index.ListAsync(fundId, null, null, cancellationToken))
            .Where(b => b.Grant is { Returns.Count: > 0 } && b.Approved is not null)
            .Select(b => Guarded(b, () =>
            {
                var returns = b.Grant!.Returns;
                var latest = returns.Where(r => r.IsReceived).MaxBy(r => r.Quarter, StringComparer.Ordinal);
                var cells = quarters.Select(q =>
                {
                    var own = returns.FirstOrDefault(r => r.Quarter == q.Key);
                    if (own is { IsReceived: true, ActualSpend: { } actual })
                    {
                        return new QuarterCell(q.Key, q.Label, actual, true);
                    }

                    var forecast = latest?.Forecasts.FirstOrDefault(f => f.Quarter == q.Key)?.Amount;
                    return new QuarterCell(q.Key, q.Label, forecast, false);
                }).ToList();
                Funding? projected = null;
                if (latest is not null)
                {
                    var remaining = latest.Forecasts.Where(f => string.CompareOrdinal(f.Quarter, latest.Quarter) > 0).Aggregate(Funding.Zero, (sum, f) => sum + f.Amount);
                    projected = new Funding(b.Approved!.Revenue - b.Grant.SpendToDate.Revenue - remaining.Revenue, b.Approved.Capital - b.Grant.SpendToDate.Capital - remaining.Capital);
                }

                return new SpendRow(b.BidId, b.Title, names.GetValueOrDefault(b.OrganisationId, b.OrganisationId), b.Approved!, cells, b.Grant.SpendToDate, latest?.IdentifiedUnderspend, projected);
            }))
            .OfType<SpendRow>()];
    }

    /// <summary>
    /// A row worked out from one bid, or null when that bid's stored figures (from before amounts were bounded) cannot
    /// be added up: that bid is left out and logged rather than the view failing for everyone.
    /// </summary>
    private T? Guarded<T>(BidSummary bid, Func<T> row)
        where T : class
    {
        try
        {
            return row();
        }
        catch (OverflowException)
        {
            LogUnsoundBid(logger, bid.BidId);
            return null;
        }
    }

    public async Task<IReadOnlyList<ContractStatusRow>> ContractStatusAsync(string? fundId, CancellationToken cancellationToken)
    {
        var names = await NamesAsync(cancellationToken);
        return [.. (await index.ListAsync(fundId, null, null, cancellationToken))
            .Where(b => b.Grant is not null && b.Stage is BidStage.Contracting or BidStage.PurchaseOrder or BidStage.Monitoring or BidStage.Closing)
            .Select(b => new ContractStatusRow(b.BidId, names.GetValueOrDefault(b.OrganisationId, b.OrganisationId), b.Title, b.Stage, StatusLine(b)))];
    }

    public async Task<ReturnsReport> ReturnsAsync(string? fundId, CancellationToken cancellationToken)
    {
        var today = Today;
        var names = await NamesAsync(cancellationToken);
        var rows = (await index.ListAsync(fundId, null, null, cancellationToken))
            .Where(b => b.Grant is not null && !b.Stage.IsFinished())
            .SelectMany(b => b.Grant!.Returns.Where(r => !r.IsReceived).Select(r => new ReturnRow(
                b.BidId, b.Title, names.GetValueOrDefault(b.OrganisationId, b.OrganisationId), FinancialQuarter.Parse(r.Quarter).Label, r.DueOn,
                today.DayNumber - r.DueOn.DayNumber, r.LastReminderAt, r.Escalation, r.IsFinal)))
            .ToList();
        return new ReturnsReport(
            [.. rows.Where(r => r.DaysLate > 0).OrderByDescending(r => r.DaysLate).ThenBy(r => r.Project, StringComparer.Ordinal)],
            [.. rows.Where(r => r.DaysLate <= 0 && r.DaysLate >= -30).OrderBy(r => r.DueOn).ThenBy(r => r.Project, StringComparer.Ordinal)]);
    }

    /// <summary>The sentence the progress report's Appendix 2 writes by hand for each project.</summary>
    internal static string StatusLine(BidSummary bid)
    {
        var grant = bid.Grant!;
        var parts = new List<string>();
        if (grant.ContractSentAt is null)
        {
            parts.Add("Approved; contract to be sent.");
        }
        else if (grant.SignedContractReturnedAt is null)
        {
            parts.Add("Contract developed and sent. Awaiting signed copy of contract before payment can be made.");
        }
        else
        {
            parts.Add($"Signed contract received on {grant.SignedContractReturnedAt.Value.ToString("d MMMM", British)}.");
            if (grant.ContractAcceptedAt is null)
            {
                parts.Add("Awaiting the coordinator's acceptance.");
            }
            else
            {
                parts.Add(grant.PurchaseOrderNumber is null ? "Awaiting purchase order." : "Purchase order raised.");
            }
        }

        var next = grant.Returns.Select((r, i) => (Return: r, Ordinal: i + 1)).FirstOrDefault(x => !x.Return.IsReceived);
        if (next.Return is { } awaited)
        {
            parts.Add($"{Ordinal(next.Ordinal)} quarterly return due {awaited.DueOn.ToString("d MMMM", British)}.");
        }

        return string.Join(' ', parts);
    }

    private static string Ordinal(int n) => (n % 100) switch
    {
        11 or 12 or 13 => $"{n}th",
        _ => (n % 10) switch
        {
            1 => $"{n}st",
            2 => $"{n}nd",
            3 => $"{n}rd",
            _ => $"{n}th",
        },
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bid {BidId} holds figures too large to add up; it is left out of the spend view")]
    private static partial void LogUnsoundBid(ILogger logger, string bidId);

    private DateOnly Today => calendar.LocalDate(clock.GetUtcNow());

    private async Task<Dictionary<string, string>> NamesAsync(CancellationToken cancellationToken) =>
        (await organisations.ListAsync(cancellationToken)).ToDictionary(o => o.Id, o => o.Name);
}

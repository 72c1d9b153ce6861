using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Partnership.Functions.Funds;
using Partnership.Functions.Pages.Components;
using Partnership.Functions.Workflow;
using Partnership.Workflows;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Bids;

/// <summary>
/// One section of the business case. Written sections (contacts, need, priorities) save whole; listed ones (cost
/// lines and other funding, outcomes, milestones, risks) add and remove an entry at a time. Each save is checked
/// against the section's rules here, so its errors show on its fields, and is sent as that change alone: the bid
/// makes it to the proposal as it then stands, keeping whatever a colleague saved meanwhile.
/// </summary>
[Authorize(Roles = nameof(Role.Applicant))]
public sealed class SectionModel(BidRepository repository, BidCommandService commands, FundStore funds, Partnership.Functions.Outcomes.OutcomeStore measures) : BidPageModel(repository, commands)
{
    public CaseSection Section { get; private set; }

    public IReadOnlyList<string> FundPriorities { get; private set; } = [];

    /// <summary>The partnership's outcome measures an outcome may say it contributes to.</summary>
    public IReadOnlyList<Partnership.Workflows.Outcomes.PartnershipMeasure> Measures { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string section, CancellationToken ct) =>
        await OpenAsync(section, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostSaveAsync(string section, CancellationToken ct)
    {
        if (!await OpenAsync(section, ct))
        {
            return NotFound();
        }

        var form = Request.Form;
        var changed = Section switch
        {
            CaseSection.Contacts => Case with
            {
                StrategicLead = new Contact(form["strategicLeadName"].ToString().Trim(), form["strategicLeadRole"].ToString().Trim(), form["strategicLeadEmail"].ToString().Trim()),
                ProjectCoordinator = new Contact(form["projectCoordinatorName"].ToString().Trim(), form["projectCoordinatorRole"].ToString().Trim(), form["projectCoordinatorEmail"].ToString().Trim()),
            },
            CaseSection.Need => Case with
            {
                Need = form["need"].ToString().Trim(),
                Activities = form["activities"].ToString().Trim(),
                Phases = [.. form["phases"].ToString().Split('\n').Select(p => p.Trim()).Where(p => p.Length > 0)],
            },
            CaseSection.Priorities => Case with { Priorities = [.. form["priorities"].Select(p => p ?? "")] },
            _ => null,
        };
        if (changed is null)
        {
            return NotFound();
        }

        var problems = BusinessCaseRules.Shape(changed).Concat(BusinessCaseRules.Missing(changed)).Where(p => p.Section == Section).ToList();
        if (Section == CaseSection.Priorities && changed.Priorities.Except(FundPriorities).Any())
        {
            problems.Add(new CaseProblem(Section, "priorities", "Choose priorities from the fund's list."));
        }

        return await SaveAsync(new SetCaseSection(Section, changed), problems, ct);
    }

    public async Task<IActionResult> OnPostAddAsync(string section, string list, CancellationToken ct)
    {
        if (!await OpenAsync(section, ct))
        {
            return NotFound();
        }

        var form = Request.Form;
        var errors = new Dictionary<string, string[]>();
        CaseEntry? entry = (Section, list) switch
        {
            (CaseSection.Funding, "costs") => new CostLine(Text("item"), Text("description"), Choice(form["type"], FundingType.Revenue, "type", "Choose revenue or capital.", errors), Text("financialYear"), Amount("amount", errors)),
            (CaseSection.Funding, "other") => new OtherFunding(Text("source"), Amount("otherAmount", errors), Choice(form["status"], FundingStatus.Secured, "status", "Say whether it is secured or sought.", errors)),
            (CaseSection.Outcomes, _) => new ProjectOutcome(Text("outcome"), Text("measure"), Text("baseline"), Text("target"),
                DateField.Read(form, "by", "The date", errors, out _, "By when") ?? Missing("by", "Enter the date the outcome is to be met by.", errors),
                Contribution(Text("contributesTo"), errors)),
            (CaseSection.Milestones, _) => new Milestone(Text("timescale"), Text("achievement")),
            (CaseSection.Risks, _) => new ProjectRisk(Text("risk"), Choice(form["likelihood"], RiskLevel.Medium, "likelihood", "Choose how likely it is.", errors),
                Choice(form["impact"], RiskLevel.Medium, "impact", "Choose how great its impact would be.", errors), Text("mitigation")),
            _ => null,
        };
        if (entry is null)
        {
            return NotFound();
        }

        var added = new AddCaseEntry(entry);
        var problems = BusinessCaseRules.Shape(added.ApplyTo(Bid.Proposal, out _)!.Case!).Where(p => p.Section == Section).ToList();
        problems.AddRange(errors.Select(e => new CaseProblem(Section, e.Key, e.Value[0])));
        return await SaveAsync(added, [.. problems.DistinctBy(p => p.Field)], ct);
    }

    /// <summary>Removes the entry the person saw, named by its key, whatever its place in the list is now.</summary>
    public async Task<IActionResult> OnPostRemoveAsync(string section, string list, string? entry, CancellationToken ct)
    {
        if (!await OpenAsync(section, ct))
        {
            return NotFound();
        }

        IEnumerable<CaseEntry>? entries = (Section, list) switch
        {
            (CaseSection.Funding, "costs") => Case.Costs,
            (CaseSection.Funding, "other") => Case.OtherFunding,
            (CaseSection.Outcomes, _) => Case.Outcomes,
            (CaseSection.Milestones, _) => Case.Milestones,
            (CaseSection.Risks, _) => Case.Risks,
            _ => null,
        };
        if (entries is null)
        {
            return NotFound();
        }

        if (entries.FirstOrDefault(e => CaseEntryKey.Of(e) == entry) is not { } removed)
        {
            ModelState.AddModelError("section", "That entry is no longer in the business case: someone may have removed it already.");
            return Invalid();
        }

        return await SaveAsync(new RemoveCaseEntry(removed), [], ct);
    }

    private string? Contribution(string chosen, Dictionary<string, string[]> errors)
    {
        if (chosen.Length == 0)
        {
            return null;
        }

        if (!Measures.Any(m => m.Id == chosen))
        {
            errors["contributesTo"] = ["Choose a partnership outcome measure from the list, or none."];
        }

        return chosen;
    }

    private async Task<bool> OpenAsync(string section, CancellationToken ct)
    {
        if (!CaseSections.TryParse(section, out var parsed) || !await LoadAsync(ct) || !Editable || !WritesCase)
        {
            return false;
        }

        Section = parsed;
        FundPriorities = (await funds.FindAsync(Bid.FundId, ct))?.Priorities ?? PartnershipPriorities.Defaults;
        Measures = Section == CaseSection.Outcomes ? await measures.ListAsync(ct) : [];
        return true;
    }

    private async Task<IActionResult> SaveAsync(DraftChange change, List<CaseProblem> problems, CancellationToken ct)
    {
        ModelState.Clear();
        foreach (var problem in problems)
        {
            ModelState.AddModelError(problem.Field, problem.Message);
        }

        if (problems.Count > 0)
        {
            return Invalid();
        }

        if (!await RunAsync(new ChangeDraft(Actor, change), "section", ct))
        {
            return Invalid();
        }

        var listed = Section is CaseSection.Funding or CaseSection.Outcomes or CaseSection.Milestones or CaseSection.Risks;
        return Redirect(listed ? $"/bids/{BidId}/case/{CaseSections.Slug(Section)}?saved=true" : $"/bids/{BidId}");
    }

    private string Text(string field) => Request.Form[field].ToString().Trim();

    private decimal Amount(string field, Dictionary<string, string[]> errors)
    {
        if (MoneyText.TryParse(Text(field), out var amount))
        {
            return amount;
        }

        errors[field] = ["Enter an amount in pounds and pence, like 15000.00."];
        return 0m;
    }

    private static T Choice<T>(Microsoft.Extensions.Primitives.StringValues posted, T fallback, string field, string message, Dictionary<string, string[]> errors)
        where T : struct, Enum
    {
        if (Enum.TryParse<T>(posted.ToString(), out var value) && Enum.IsDefined(value))
        {
            return value;
        }

        errors[field] = [message];
        return fallback;
    }

    private static DateOnly Missing(string field, string message, Dictionary<string, string[]> errors)
    {
        errors.TryAdd(field, [message]);
        return default;
    }
}

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
/// lines and other funding, outcomes, milestones, risks) add and remove an entry at a time. Each save is the draft's
/// proposal with that section changed, checked against the section's rules before it is sent.
/// </summary>
[Authorize(Roles = nameof(Role.Applicant))]
public sealed class SectionModel(BidRepository repository, BidCommandService commands, FundStore funds) : BidPageModel(repository, commands)
{
    public CaseSection Section { get; private set; }

    public IReadOnlyList<string> FundPriorities { get; private set; } = [];

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

        return await SaveAsync(changed, problems, ct);
    }

    public async Task<IActionResult> OnPostAddAsync(string section, string list, CancellationToken ct)
    {
        if (!await OpenAsync(section, ct))
        {
            return NotFound();
        }

        var form = Request.Form;
        var errors = new Dictionary<string, string[]>();
        var changed = (Section, list) switch
        {
            (CaseSection.Funding, "costs") => Case with
            {
                Costs = Case.Costs.Add(new CostLine(Text("item"), Text("description"), Choice(form["type"], FundingType.Revenue, "type", "Choose revenue or capital.", errors), Text("financialYear"), Amount("amount", errors))),
            },
            (CaseSection.Funding, "other") => Case with
            {
                OtherFunding = Case.OtherFunding.Add(new OtherFunding(Text("source"), Amount("otherAmount", errors), Choice(form["status"], FundingStatus.Secured, "status", "Say whether it is secured or sought.", errors))),
            },
            (CaseSection.Outcomes, _) => Case with
            {
                Outcomes = Case.Outcomes.Add(new ProjectOutcome(Text("outcome"), Text("measure"), Text("baseline"), Text("target"),
                    DateField.Read(form, "by", "The date", errors, out _, "By when") ?? Missing("by", "Enter the date the outcome is to be met by.", errors))),
            },
            (CaseSection.Milestones, _) => Case with { Milestones = Case.Milestones.Add(new Milestone(Text("timescale"), Text("achievement"))) },
            (CaseSection.Risks, _) => Case with
            {
                Risks = Case.Risks.Add(new ProjectRisk(Text("risk"), Choice(form["likelihood"], RiskLevel.Medium, "likelihood", "Choose how likely it is.", errors),
                    Choice(form["impact"], RiskLevel.Medium, "impact", "Choose how great its impact would be.", errors), Text("mitigation"))),
            },
            _ => null,
        };
        if (changed is null)
        {
            return NotFound();
        }

        var problems = BusinessCaseRules.Shape(changed).Where(p => p.Section == Section).ToList();
        problems.AddRange(errors.Select(e => new CaseProblem(Section, e.Key, e.Value[0])));
        return await SaveAsync(changed, [.. problems.DistinctBy(p => p.Field)], ct);
    }

    public async Task<IActionResult> OnPostRemoveAsync(string section, string list, int index, CancellationToken ct)
    {
        if (!await OpenAsync(section, ct))
        {
            return NotFound();
        }

        static System.Collections.Immutable.ImmutableList<T> Without<T>(System.Collections.Immutable.ImmutableList<T> items, int at) => at >= 0 && at < items.Count ? items.RemoveAt(at) : items;
        var changed = (Section, list) switch
        {
            (CaseSection.Funding, "costs") => Case with { Costs = Without(Case.Costs, index) },
            (CaseSection.Funding, "other") => Case with { OtherFunding = Without(Case.OtherFunding, index) },
            (CaseSection.Outcomes, _) => Case with { Outcomes = Without(Case.Outcomes, index) },
            (CaseSection.Milestones, _) => Case with { Milestones = Without(Case.Milestones, index) },
            (CaseSection.Risks, _) => Case with { Risks = Without(Case.Risks, index) },
            _ => null,
        };
        return changed is null ? NotFound() : await SaveAsync(changed, [], ct);
    }

    private async Task<bool> OpenAsync(string section, CancellationToken ct)
    {
        if (!CaseSections.TryParse(section, out var parsed) || !await LoadAsync(ct) || !Editable || !WritesCase)
        {
            return false;
        }

        Section = parsed;
        FundPriorities = (await funds.FindAsync(Bid.FundId, ct))?.Priorities ?? PartnershipPriorities.Defaults;
        return true;
    }

    private async Task<IActionResult> SaveAsync(BusinessCase changed, List<CaseProblem> problems, CancellationToken ct)
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

        var proposal = Bid.Proposal with { Case = changed, Requested = changed.Totals };
        if (!await RunAsync(new EditDraft(Actor, proposal), "section", ct))
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

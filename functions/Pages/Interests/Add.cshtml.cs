using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Governance;
using Partnership.Functions.Identity;
using Partnership.Functions.Organisations;
using Partnership.Functions.Pages.Components;
using Partnership.Workflows;

namespace Partnership.Functions.Pages.Interests;

/// <summary>Adds one interest to the signed-in member's register, choosing the organisation from those that bid or giving another by its org-id.</summary>
[Authorize(Roles = $"{nameof(Role.HceMember)},{nameof(Role.BoardMember)}")]
public sealed class AddModel(InterestStore interests, OrganisationStore organisations) : PageModel
{
    public const string Another = "another";

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    public DateInput From { get; private set; } = DateInput.Of("from", "When the interest began", null);

    public DateInput Until { get; private set; } = DateInput.Of("until", "When it ended (if it has)", null, "Leave it empty while it still holds.");

    public async Task OnGetAsync(CancellationToken ct) => Organisations = [.. (await organisations.ListAsync(ct)).OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase)];

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await OnGetAsync(ct);
        var errors = new Dictionary<string, string[]>();
        var chosen = Request.Form["organisation"].ToString();
        var known = Organisations.FirstOrDefault(o => o.Id == chosen);
        if (known is null && chosen != Another)
        {
            errors["organisation"] = ["Choose the organisation, or choose another organisation and give its org-id and name."];
        }

        var from = DateField.Read(Request.Form, "from", "The date it began", errors, out var shownFrom, From.Legend);
        var until = DateField.Read(Request.Form, "until", "The date it ended", errors, out var shownUntil, Until.Legend, Until.Hint);
        (From, Until) = (shownFrom, shownUntil);
        var request = new InterestRequest(known?.Id ?? Request.Form["organisationId"], known?.Name ?? Request.Form["organisationName"], Request.Form["nature"], from, until);
        var interest = request.ToInterest(out var problems);
        foreach (var (field, messages) in problems.Where(p => !errors.ContainsKey(FormErrors.FieldId(p.Key)) && (chosen == Another || p.Key is not (nameof(InterestRequest.OrganisationId) or nameof(InterestRequest.OrganisationName)))))
        {
            errors[FormErrors.FieldId(field)] = messages;
        }

        if (errors.Count > 0 || interest is null)
        {
            ModelState.AddAll(errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        switch (await interests.AddAsync(User.Actor().UserId, interest, ct))
        {
            case RegisterChange.Full:
                ModelState.AddModelError("organisation", InterestStore.FullMessage);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            case RegisterChange.ChangedMeanwhile:
                ModelState.AddModelError("organisation", "Your register changed in another window. Check it, then add this interest again.");
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
        }

        return Redirect($"{IndexModel.Path}?done=added");
    }
}

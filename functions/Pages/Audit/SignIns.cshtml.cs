using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnership.Functions.Identity;
using Partnership.Workflows;

namespace Partnership.Functions.Pages.Audit;

/// <summary>The auditor reads who signed in and out, when, from where and how, and every refused sign-in.</summary>
[Authorize(Roles = nameof(Role.Auditor))]
public sealed class SignInsModel(SignInAudit audit) : PageModel
{
    public const string Path = "/audit/sign-ins";
    public const int Shown = 500;

    public IReadOnlyList<SignInEvent> Events { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Events = await audit.RecentAsync(Shown, ct);
}

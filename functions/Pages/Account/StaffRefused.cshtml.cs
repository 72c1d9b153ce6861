using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Partnership.Functions.Pages.Account;

/// <summary>
/// Where a refused or abandoned Entra ID sign-in comes back to. It says no more than that it was refused, so it
/// tells nobody which tenants the partnership trusts; the audit record holds the reason.
/// </summary>
[AllowAnonymous]
public sealed class StaffRefusedModel : PageModel;

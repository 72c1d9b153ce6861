using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Partnership.Functions.Pages;

[AllowAnonymous]
public sealed class IndexModel : PageModel;

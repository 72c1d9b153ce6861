using System.Security.Claims;
using System.Text;
using System.Text.RegularExpressions;
using Partnership.Functions.Http;
using Partnership.Functions.Infrastructure;
using Partnership.Functions.Notifications;

namespace Partnership.Functions.Identity;

public static partial class IdentityEndpoints
{
    public static IEndpointRouteBuilder MapIdentity(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", async (ClaimsPrincipal user, UserDirectory users, CancellationToken ct) =>
            await users.FindAsync(user.Actor().UserId, ct) is { } me ? Results.Ok(me) : TypedResults.Problem(statusCode: 404, title: "Unknown user."))
            .WithTags("Identity").RequireRoles(RoleGroups.Everyone).WithName("GetMe");
        return app;
    }

    /// <summary>
    /// Development only: a page to pick who to be, the local outbox of messages the app would have sent, and the
    /// storage calls this process has made (for the benchmark).
    /// </summary>
    public static IEndpointRouteBuilder MapDevelopmentPages(this IEndpointRouteBuilder app)
    {
        var dev = app.MapGroup("/dev").ExcludeFromDescription().AllowAnonymous();
        dev.MapGet("/sign-in", async (string? returnUrl, UserDirectory users, CancellationToken ct) =>
        {
            var html = new StringBuilder("<h1>Sign in as</h1><form method=\"post\">")
                .Append(CultureInfoInvariant($"<input type=\"hidden\" name=\"returnUrl\" value=\"{HtmlPage.Encode(DevelopmentSignInHandler.LocalOrHome(returnUrl))}\"><ul>"));
            foreach (var user in await users.ListAsync(ct))
            {
                html.Append(CultureInfoInvariant($"<li><button name=\"userId\" value=\"{HtmlPage.Encode(user.Id)}\">{HtmlPage.Encode(user.DisplayName)}</button> {HtmlPage.Encode(user.Role.ToString())}{(user.IsChair ? " (chair)" : "")}</li>"));
            }

            return HtmlPage.Render(200, "Sign in (development)", html.Append("</ul></form><p><a href=\"/dev/outbox\">Local outbox</a></p>").ToString());
        });
        dev.MapPost("/sign-in", async (HttpContext http, UserDirectory users, CancellationToken ct) =>
        {
            if (!http.Request.HasFormContentType)
            {
                return TypedResults.Problem(statusCode: 400, title: "Choose a user on the sign-in page.");
            }

            var form = await http.Request.ReadFormAsync(ct);
            var userId = form["userId"].ToString();
            if (await users.FindAsync(userId, ct) is null)
            {
                return TypedResults.Problem(statusCode: 400, title: "No such user.");
            }

            http.Response.Cookies.Append(DevelopmentSignInHandler.Cookie, userId, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true });
            return Results.Redirect(DevelopmentSignInHandler.LocalOrHome(form["returnUrl"].ToString()));
        }).DisableAntiforgery();
        dev.MapGet("/storage-calls", (StorageCalls calls) => TypedResults.Ok(calls.Totals()));
        dev.MapGet("/outbox", async (string? bidId, MessageLog outbox, CancellationToken ct) =>
        {
            var html = new StringBuilder("<h1>Local outbox</h1>");
            foreach (var m in await outbox.ListAsync(bidId, ct))
            {
                html.Append(CultureInfoInvariant($"<article><h2>{HtmlPage.Encode(m.Subject)}</h2><p>To {HtmlPage.Encode(m.Email)} at {m.RecordedAt:u} ({HtmlPage.Encode(m.Channel)}: {HtmlPage.Encode(m.Status)}{(m.Detail is null ? "" : ", " + HtmlPage.Encode(m.Detail))})</p><pre>{Linked(m.Body)}</pre>{(m.Html.Length == 0 ? "" : $"<iframe title=\"The email as sent\" sandbox=\"allow-popups allow-top-navigation-by-user-activation\" style=\"width:100%;height:24em\" srcdoc=\"{HtmlPage.Encode(m.Html)}\"></iframe>")}</article>"));
            }

            return HtmlPage.Render(200, "Local outbox", html.ToString());
        });
        return app;
    }

    /// <summary>The plain text with its addresses made into links, so a Teams notification's page opens from the outbox too.</summary>
    private static string Linked(string text) => Address().Replace(HtmlPage.Encode(text), m => $"<a href=\"{m.Value}\">{m.Value}</a>");

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Address();

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);
}

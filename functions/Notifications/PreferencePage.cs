using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Workflows;

namespace Partnership.Functions.Notifications;

/// <summary>
/// The page where a person chooses how they hear from the app. A choice that cannot work is shown back with an
/// error summary linking to each field, and nothing is saved.
/// </summary>
public static class PreferencePage
{
    public const string Path = "/me/preferences";

    public static IEndpointRouteBuilder MapPreferencePage(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup(Path).ExcludeFromDescription().RequireRoles(RoleGroups.Everyone);
        page.MapGet("", async (bool? saved, HttpContext http, ClaimsPrincipal user, PreferenceStore store, IAntiforgery antiforgery, IOptions<TeamsOptions> teams, CancellationToken ct) =>
        {
            var actor = user.Actor();
            var current = await store.FindAsync(actor.UserId, ct);
            var request = new PreferencesRequest(current.Channels.ToString(), current.DailyDigest, current.TeamsUserId);
            return Render(200, http, antiforgery, actor, request, [], saved == true, teams.Value);
        });
        page.MapPost("", async ([FromForm] string? channels, [FromForm] string? teamsUserId, [FromForm] string? dailyDigest, HttpContext http, ClaimsPrincipal user, PreferenceStore store, IAntiforgery antiforgery, IOptions<TeamsOptions> teams, CancellationToken ct) =>
        {
            var actor = user.Actor();
            var request = new PreferencesRequest(channels, dailyDigest == "true", teamsUserId);
            var errors = PreferenceEndpoints.Check(actor, request, out var chosen);
            if (chosen is null)
            {
                return Render(400, http, antiforgery, actor, request, errors, false, teams.Value);
            }

            await store.SaveAsync(actor.UserId, chosen, ct);
            return Results.Redirect($"{Path}?saved=true");
        });
        return app;
    }

    private static IResult Render(int status, HttpContext http, IAntiforgery antiforgery, Actor actor, PreferencesRequest request, Dictionary<string, string[]> errors, bool saved, TeamsOptions teams)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var html = new StringBuilder();
        if (errors.Count > 0)
        {
            html.Append("<div role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\"><h2 id=\"error-summary-title\">There is a problem</h2><ul>");
            foreach (var (field, messages) in errors)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"#{field}\">{HtmlPage.Encode(string.Join(" ", messages))}</a></li>");
            }

            html.Append("</ul></div>");
        }
        else if (saved)
        {
            html.Append("<div role=\"status\"><p>Your choice is saved.</p></div>");
        }

        html.Append("<h1>How you hear from us</h1><form method=\"post\" novalidate>")
            .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"{HtmlPage.Encode(tokens.FormFieldName)}\" value=\"{HtmlPage.Encode(tokens.RequestToken!)}\">")
            .Append("<fieldset id=\"channels\"").Append(Described(errors, "channels")).Append("><legend>Send me messages by</legend>").Append(Error(errors, "channels"));
        foreach (var (value, label) in new[] { ("Email", "Email"), ("Teams", "Microsoft Teams"), ("Both", "Email and Microsoft Teams") })
        {
            var isChosen = string.Equals(request.Channels, value, StringComparison.OrdinalIgnoreCase) ? " checked" : "";
            html.Append(CultureInfo.InvariantCulture, $"<div><input type=\"radio\" id=\"channels-{value}\" name=\"channels\" value=\"{value}\"{isChosen}><label for=\"channels-{value}\">{label}</label></div>");
        }

        html.Append("</fieldset>");
        if (!teams.IsConfigured)
        {
            html.Append("<p>Teams is not connected here yet: Teams notifications are kept in the outbox until it is.</p>");
        }

        html.Append("<div><label for=\"teamsUserId\">Your Teams sign-in name, if it is not your email address</label>").Append(Error(errors, "teamsUserId"))
            .Append(CultureInfo.InvariantCulture, $"<input type=\"text\" id=\"teamsUserId\" name=\"teamsUserId\" autocomplete=\"username\" value=\"{HtmlPage.Encode(request.TeamsUserId ?? "")}\"{Described(errors, "teamsUserId")}></div>");
        if (actor.Role == Role.Coordinator)
        {
            html.Append("<div id=\"dailyDigest\">").Append(Error(errors, "dailyDigest"))
                .Append(CultureInfo.InvariantCulture, $"<input type=\"checkbox\" id=\"dailyDigest-input\" name=\"dailyDigest\" value=\"true\"{(request.DailyDigest == true ? " checked" : "")}{Described(errors, "dailyDigest")}>")
                .Append("<label for=\"dailyDigest-input\">Send routine news as one email each working morning instead of one at a time</label></div>");
        }

        html.Append("<button type=\"submit\">Save</button></form>");
        return HtmlPage.Render(status, errors.Count > 0 ? "Error: How you hear from us" : "How you hear from us", html.ToString());
    }

    private static string Error(Dictionary<string, string[]> errors, string field) =>
        errors.TryGetValue(field, out var messages) ? $"<p id=\"{field}-error\"><strong>Error:</strong> {HtmlPage.Encode(string.Join(" ", messages))}</p>" : "";

    private static string Described(Dictionary<string, string[]> errors, string field) =>
        errors.ContainsKey(field) ? $" aria-describedby=\"{field}-error\"" : "";
}

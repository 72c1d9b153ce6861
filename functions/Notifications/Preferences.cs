using System.Security.Claims;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Partnership.Functions.Http;
using Partnership.Functions.Identity;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;

namespace Partnership.Functions.Notifications;

[Flags]
public enum Channels
{
    Email = 1,
    Teams = 2,
    Both = Email | Teams,
}

/// <summary>
/// How a person wants to hear from the app. <see cref="TeamsUserId"/> is their Entra object id or user principal
/// name where it differs from their email address. A daily digest is for coordinators and goes by email.
/// </summary>
public sealed record NotificationPreferences(Channels Channels, bool DailyDigest, string? TeamsUserId)
{
    public static readonly NotificationPreferences Default = new(Channels.Email, false, null);

    public string TeamsRecipient(AppUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return TeamsUserId ?? user.Email;
    }
}

public sealed record PreferencesRequest(string? Channels, bool? DailyDigest, string? TeamsUserId);

public sealed record PreferencesAnswer(Channels Channels, bool DailyDigest, string? TeamsUserId, bool TeamsConnected, bool DigestAvailable);

/// <summary>Each person's choice, kept apart from the directory row so that reloading the directory never loses it.</summary>
public sealed class PreferenceStore(Storage storage)
{
    private const string Partition = "preferences";

    public async Task<NotificationPreferences> FindAsync(string userId, CancellationToken cancellationToken)
    {
        var row = await storage.Users.GetEntityIfExistsAsync<TableEntity>(Partition, userId, cancellationToken: cancellationToken);
        return row is { HasValue: true, Value: { } e }
            ? new NotificationPreferences(Enum.Parse<Channels>(e.GetString("Channels")), e.GetBoolean("DailyDigest") ?? false, e.GetString("TeamsUserId"))
            : NotificationPreferences.Default;
    }

    public async Task SaveAsync(string userId, NotificationPreferences preferences, CancellationToken cancellationToken) =>
        await storage.Users.UpsertEntityAsync(Row(userId, preferences), TableUpdateMode.Replace, cancellationToken);

    /// <summary>Sets a starting choice (the demo's) without overriding one the person has made.</summary>
    public async Task SaveIfAbsentAsync(string userId, NotificationPreferences preferences, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Users.AddEntityAsync(Row(userId, preferences), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // The person has chosen already; theirs stands.
        }
    }

    private static TableEntity Row(string userId, NotificationPreferences preferences)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        return new TableEntity(Partition, userId)
        {
            ["Channels"] = preferences.Channels.ToString(),
            ["DailyDigest"] = preferences.DailyDigest,
            ["TeamsUserId"] = preferences.TeamsUserId,
        };
    }
}

public static class PreferenceEndpoints
{
    public static IEndpointRouteBuilder MapPreferences(this IEndpointRouteBuilder app)
    {
        var preferences = app.MapGroup("/api/me/preferences").WithTags("Identity").RequireRoles(RoleGroups.Everyone);
        preferences.MapGet("", async (ClaimsPrincipal user, PreferenceStore store, IOptions<TeamsOptions> teams, CancellationToken ct) =>
        {
            var actor = user.Actor();
            return TypedResults.Ok(Answer(await store.FindAsync(actor.UserId, ct), actor, teams.Value));
        }).WithName("GetPreferences");
        preferences.MapPut("", async (PreferencesRequest request, ClaimsPrincipal user, PreferenceStore store, IOptions<TeamsOptions> teams, CancellationToken ct) =>
        {
            var actor = user.Actor();
            var errors = Check(actor, request, out var chosen);
            if (chosen is null)
            {
                return (IResult)Problems.Fields(errors);
            }

            await store.SaveAsync(actor.UserId, chosen, ct);
            return TypedResults.Ok(Answer(chosen, actor, teams.Value));
        }).WithName("SetPreferences");
        return app;
    }

    /// <summary>The rules a choice must meet, for the API and the page alike: field errors, or the choice.</summary>
    public static Dictionary<string, string[]> Check(Actor actor, PreferencesRequest request, out NotificationPreferences? chosen)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        if (!RequestRules.TryParseName<Channels>(request.Channels, out var channels))
        {
            errors["channels"] = ["Choose Email, Teams or Both."];
        }

        var digest = request.DailyDigest ?? false;
        if (digest && actor.Role != Role.Coordinator)
        {
            errors["dailyDigest"] = ["The daily digest is for coordinators; everyone else hears about each thing as it happens."];
        }
        else if (digest && channels == Channels.Teams)
        {
            errors["dailyDigest"] = ["The daily digest is sent by email: choose Email or Both to take it."];
        }

        var teamsUserId = string.IsNullOrWhiteSpace(request.TeamsUserId) ? null : request.TeamsUserId.Trim();
        if (teamsUserId is not null && !IsTeamsUserId(teamsUserId))
        {
            errors["teamsUserId"] = ["Give your Entra object id (a GUID) or your sign-in name (name@organisation), or leave it empty to use your email address."];
        }

        chosen = errors.Count == 0 ? new NotificationPreferences(channels, digest, teamsUserId) : null;
        return errors;
    }

    private static PreferencesAnswer Answer(NotificationPreferences preferences, Actor actor, TeamsOptions teams) =>
        new(preferences.Channels, preferences.DailyDigest, preferences.TeamsUserId, teams.IsConfigured, actor.Role == Role.Coordinator);

    /// <summary>It goes into a Graph URL path, so a sign-in name is held to the characters an address may have.</summary>
    private static bool IsTeamsUserId(string value) =>
        value.Length <= 200 && (Guid.TryParse(value, out _) || System.Text.RegularExpressions.Regex.IsMatch(value, @"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\z"));
}

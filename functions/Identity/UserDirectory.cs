using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;

namespace Partnership.Functions.Identity;

/// <summary>
/// A person who uses the app. An applicant may belong to several organisations (<see cref="Memberships"/>) and acts
/// for one of them at a time (<see cref="OrganisationId"/>), which they choose. <see cref="IsChair"/> marks the Board
/// member who hears escalations.
/// </summary>
public sealed record AppUser(string Id, string DisplayName, string Email, Role Role, string? OrganisationId, bool IsChair = false)
{
    private readonly IReadOnlyList<string> _memberships = [];

    /// <summary>Every organisation the person acts for, the one they act for now among them.</summary>
    public IReadOnlyList<string> Memberships
    {
        get => OrganisationId is null || _memberships.Contains(OrganisationId) ? _memberships : [OrganisationId, .. _memberships];
        init => _memberships = value;
    }

    public Actor ToActor() => new(Id, Role, OrganisationId);

    public bool Equals(AppUser? other) =>
        other is not null && (Id, DisplayName, Email, Role, OrganisationId, IsChair) == (other.Id, other.DisplayName, other.Email, other.Role, other.OrganisationId, other.IsChair)
        && Memberships.SequenceEqual(other.Memberships);

    public override int GetHashCode() => HashCode.Combine(Id, OrganisationId, Memberships.Count);
}

/// <summary>The people the app knows: staff as Entra ID last described them, applicants with their organisations.</summary>
public sealed class UserDirectory(Storage storage)
{
    private const string Partition = "user";

    /// <summary>Rows that find a person by email address, for the emailed sign-in; the person's row stays the truth.</summary>
    private const string ByEmail = "email";

    /// <summary>The id an applicant known only by email address gets, the same however they first arrive.</summary>
    public static string ApplicantIdFor(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return $"applicant-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Normalised(email))))[..12]}";
    }

    public static string Normalised(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    /// <summary>The person whose address this is now; an index row left by an address since changed finds nobody.</summary>
    public async Task<AppUser?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var key = Normalised(email);
        var index = await storage.Users.GetEntityIfExistsAsync<TableEntity>(ByEmail, key, cancellationToken: cancellationToken);
        if (index is not { HasValue: true, Value: { } row })
        {
            return null;
        }

        var user = await FindAsync(row.GetString("UserId"), cancellationToken);
        return user is not null && Normalised(user.Email) == key ? user : null;
    }

    public async Task<AppUser?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        var response = await storage.Users.GetEntityIfExistsAsync<TableEntity>(Partition, userId, cancellationToken: cancellationToken);
        return response is { HasValue: true, Value: { } entity } ? ToUser(entity) : null;
    }

    public async Task<IReadOnlyList<AppUser>> ListAsync(CancellationToken cancellationToken)
    {
        var users = new List<AppUser>();
        await foreach (var entity in storage.Users.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            users.Add(ToUser(entity));
        }

        return [.. users.OrderBy(u => u.Role).ThenBy(u => u.DisplayName, StringComparer.Ordinal)];
    }

    public async Task SaveAsync(AppUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await storage.Users.UpsertEntityAsync(ToEntity(user), TableUpdateMode.Replace, cancellationToken);
        await IndexAsync(user, cancellationToken);
    }

    public async Task AddIfAbsentAsync(AppUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        try
        {
            await storage.Users.AddEntityAsync(ToEntity(user), cancellationToken);
            await IndexAsync(user, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            // Already there, as it should stay.
        }
    }

    /// <summary>Makes the person a member of the organisation as well as any they belong to, acting for it if asked or if they act for none yet.</summary>
    public Task<AppUser?> JoinAsync(string userId, string organisationId, bool actForIt, CancellationToken cancellationToken) =>
        ChangeAsync(userId, user => user with
        {
            OrganisationId = actForIt || user.OrganisationId is null ? organisationId : user.OrganisationId,
            Memberships = [.. user.Memberships.Append(organisationId).Distinct(StringComparer.Ordinal)],
        }, cancellationToken);

    /// <summary>The person acts for this organisation from their next request, in every session; null unless they belong to it.</summary>
    public Task<AppUser?> ActForAsync(string userId, string organisationId, CancellationToken cancellationToken) =>
        ChangeAsync(userId, user => user.Memberships.Contains(organisationId, StringComparer.Ordinal) ? user with { OrganisationId = organisationId } : null, cancellationToken);

    /// <summary>
    /// Changes the person's row only if nobody changed it since it was read, reading again when somebody did, so two
    /// invitations at once, or an invitation while the person switches organisation, both count.
    /// </summary>
    private async Task<AppUser?> ChangeAsync(string userId, Func<AppUser, AppUser?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await storage.Users.GetEntityIfExistsAsync<TableEntity>(Partition, userId, cancellationToken: cancellationToken);
            if (response is not { HasValue: true, Value: { } entity } || change(ToUser(entity)) is not { } changed)
            {
                return null;
            }

            try
            {
                await storage.Users.UpdateEntityAsync(ToEntity(changed), entity.ETag, TableUpdateMode.Replace, cancellationToken);
                return changed;
            }
            catch (Azure.RequestFailedException e) when (e.Status == 412 && attempt < 5)
            {
                // Changed meanwhile: apply the change to the row as it is now.
            }
        }
    }

    private async Task IndexAsync(AppUser user, CancellationToken cancellationToken) =>
        await storage.Users.UpsertEntityAsync(new TableEntity(ByEmail, Normalised(user.Email)) { ["UserId"] = user.Id }, TableUpdateMode.Replace, cancellationToken);

    private static TableEntity ToEntity(AppUser user) => new(Partition, user.Id)
    {
        ["DisplayName"] = user.DisplayName,
        ["Email"] = user.Email,
        ["Role"] = user.Role.ToString(),
        ["OrganisationId"] = user.OrganisationId,
        ["IsChair"] = user.IsChair,
        ["Memberships"] = user.Memberships.Count == 0 ? null : string.Join(' ', user.Memberships),
    };

    private static AppUser ToUser(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString("DisplayName"),
        entity.GetString("Email"),
        Enum.Parse<Role>(entity.GetString("Role")),
        entity.GetString("OrganisationId"),
        entity.GetBoolean("IsChair") ?? false)
    {
        Memberships = entity.GetString("Memberships")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [],
    };
}

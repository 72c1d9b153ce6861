using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows;

namespace Partnership.Functions.Identity;

/// <summary>A person who uses the app. <see cref="IsChair"/> marks the Board member who hears escalations.</summary>
public sealed record AppUser(string Id, string DisplayName, string Email, Role Role, string? OrganisationId, bool IsChair = false)
{
    public Actor ToActor() => new(Id, Role, OrganisationId);
}

/// <summary>The people the app knows, with their role. Entra ID will supply the signed-in identity; this stays the source of roles and organisations.</summary>
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

    private async Task IndexAsync(AppUser user, CancellationToken cancellationToken) =>
        await storage.Users.UpsertEntityAsync(new TableEntity(ByEmail, Normalised(user.Email)) { ["UserId"] = user.Id }, TableUpdateMode.Replace, cancellationToken);

    private static TableEntity ToEntity(AppUser user) => new(Partition, user.Id)
    {
        ["DisplayName"] = user.DisplayName,
        ["Email"] = user.Email,
        ["Role"] = user.Role.ToString(),
        ["OrganisationId"] = user.OrganisationId,
        ["IsChair"] = user.IsChair,
    };

    private static AppUser ToUser(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString("DisplayName"),
        entity.GetString("Email"),
        Enum.Parse<Role>(entity.GetString("Role")),
        entity.GetString("OrganisationId"),
        entity.GetBoolean("IsChair") ?? false);
}

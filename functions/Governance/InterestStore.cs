using Azure;
using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Governance;

/// <summary>A register as stored, with the version a change must match so two windows cannot undo each other's entries.</summary>
public sealed record StoredRegister(InterestRegister Register, ETag? Version);

/// <summary>What became of a change to a register: saved, refused because it is full, or lost to a change made meanwhile.</summary>
public enum RegisterChange
{
    Saved,
    Full,
    ChangedMeanwhile,
}

/// <summary>Members' registers of interests, one row each in the directory's table under "interests".</summary>
public sealed class InterestStore(Storage storage)
{
    public const int MaxInterests = 100;

    public const string FullMessage = "A register holds at most 100 interests; end the old ones instead.";

    private const string Partition = "interests";

    public async Task<StoredRegister> FindAsync(string userId, CancellationToken cancellationToken)
    {
        var response = await storage.Users.GetEntityIfExistsAsync<TableEntity>(Partition, userId, cancellationToken: cancellationToken);
        return response is { HasValue: true, Value: { } entity }
            ? new StoredRegister(WorkflowJson.Deserialize<InterestRegister>(entity.GetString("Register")), entity.ETag)
            : new StoredRegister(InterestRegister.Empty(userId), null);
    }

    public async Task<IReadOnlyList<InterestRegister>> ListAsync(CancellationToken cancellationToken)
    {
        var registers = new List<InterestRegister>();
        await foreach (var entity in storage.Users.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            registers.Add(WorkflowJson.Deserialize<InterestRegister>(entity.GetString("Register")));
        }

        return registers;
    }

    /// <summary>Each member's interest in one organisation on one day, as the nature they registered.</summary>
    public async Task<Dictionary<string, string>> InAsync(string organisationId, DateOnly on, CancellationToken cancellationToken) =>
        In(await ListAsync(cancellationToken), organisationId, on);

    /// <summary>Who of these registers names the organisation on the day, and the nature of each interest.</summary>
    public static Dictionary<string, string> In(IEnumerable<InterestRegister> registers, string organisationId, DateOnly on) =>
        registers
            .Select(r => (r.UserId, Interest: r.In(organisationId, on)))
            .Where(r => r.Interest is not null)
            .ToDictionary(r => r.UserId, r => r.Interest!.Nature, StringComparer.Ordinal);

    /// <summary>Adds an interest to a member's register as it stands now.</summary>
    public async Task<RegisterChange> AddAsync(string userId, Interest interest, CancellationToken cancellationToken)
    {
        var stored = await FindAsync(userId, cancellationToken);
        var register = stored.Register with { Interests = stored.Register.Interests.Add(interest) };
        return register.Interests.Length > MaxInterests ? RegisterChange.Full
            : await SaveAsync(register, stored.Version, cancellationToken) ? RegisterChange.Saved
            : RegisterChange.ChangedMeanwhile;
    }

    /// <summary>Records that the member has checked their register on <paramref name="on"/>.</summary>
    public async Task<RegisterChange> ReviewAsync(string userId, DateOnly on, CancellationToken cancellationToken)
    {
        var stored = await FindAsync(userId, cancellationToken);
        return await SaveAsync(stored.Register with { ReviewedOn = on }, stored.Version, cancellationToken) ? RegisterChange.Saved : RegisterChange.ChangedMeanwhile;
    }

    /// <summary>Saves the register if it is still as read; false if it changed meanwhile.</summary>
    public async Task<bool> SaveAsync(InterestRegister register, ETag? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(register);
        var entity = new TableEntity(Partition, register.UserId) { ["Register"] = WorkflowJson.Serialize(register) };
        try
        {
            if (version is { } etag)
            {
                await storage.Users.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken);
            }
            else
            {
                await storage.Users.AddEntityAsync(entity, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }
}

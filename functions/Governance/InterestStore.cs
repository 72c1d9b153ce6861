using Azure;
using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows.Decisions;

namespace Partnership.Functions.Governance;

/// <summary>A register as stored, with the version a change must match so two windows cannot undo each other's entries.</summary>
public sealed record StoredRegister(InterestRegister Register, ETag? Version);

/// <summary>Members' registers of interests, one row each in the directory's table under "interests".</summary>
public sealed class InterestStore(Storage storage)
{
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
    public async Task<IReadOnlyDictionary<string, string>> InAsync(string organisationId, DateOnly on, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken))
            .Select(r => (r.UserId, Interest: r.In(organisationId, on)))
            .Where(r => r.Interest is not null)
            .ToDictionary(r => r.UserId, r => r.Interest!.Nature, StringComparer.Ordinal);

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

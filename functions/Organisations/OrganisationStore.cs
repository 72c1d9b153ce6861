using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;

namespace Partnership.Functions.Organisations;

public sealed record Organisation(string Id, string Name, string? CharityNumber, string ContactEmail, string? Address);

public sealed class OrganisationStore(Storage storage)
{
    private const string Partition = "org";

    public async Task<Organisation?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var response = await storage.Organisations.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return response is { HasValue: true, Value: { } entity } ? ToOrganisation(entity) : null;
    }

    public async Task<IReadOnlyList<Organisation>> ListAsync(CancellationToken cancellationToken)
    {
        var organisations = new List<Organisation>();
        await foreach (var entity in storage.Organisations.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            organisations.Add(ToOrganisation(entity));
        }

        return [.. organisations.OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Adds the organisation unless one with this id exists; returns whichever is stored.</summary>
    public async Task<Organisation> AddAsync(Organisation organisation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        try
        {
            await storage.Organisations.AddEntityAsync(new TableEntity(Partition, organisation.Id)
            {
                ["Name"] = organisation.Name,
                ["CharityNumber"] = organisation.CharityNumber,
                ["ContactEmail"] = organisation.ContactEmail,
                ["Address"] = organisation.Address,
            }, cancellationToken);
            return organisation;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            return await FindAsync(organisation.Id, cancellationToken) ?? organisation;
        }
    }

    private static Organisation ToOrganisation(TableEntity entity) => new(
        entity.RowKey, entity.GetString("Name"), entity.GetString("CharityNumber"), entity.GetString("ContactEmail"), entity.GetString("Address"));
}

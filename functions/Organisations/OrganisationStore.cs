using Azure.Data.Tables;
using Partnership.Functions.Infrastructure;

namespace Partnership.Functions.Organisations;

/// <summary>An applicant organisation; registered ones are keyed by their org-id (GB-CHC-1234567, GB-COH-01234567).</summary>
public sealed record Organisation(string Id, string Name, string? CharityNumber, string ContactEmail, string? Address)
{
    public string? CompanyNumber { get; init; }

    public string? ContactName { get; init; }
}

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
    public async Task<Organisation> AddAsync(Organisation organisation, CancellationToken cancellationToken) =>
        await TryAddAsync(organisation, cancellationToken) ?? await FindAsync(organisation.Id, cancellationToken) ?? organisation;

    /// <summary>Adds the organisation, or answers null when one with this id is there already.</summary>
    public async Task<Organisation?> TryAddAsync(Organisation organisation, CancellationToken cancellationToken)
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
                ["CompanyNumber"] = organisation.CompanyNumber,
                ["ContactName"] = organisation.ContactName,
            }, cancellationToken);
            return organisation;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    private static Organisation ToOrganisation(TableEntity entity) => new(
        entity.RowKey, entity.GetString("Name"), entity.GetString("CharityNumber"), entity.GetString("ContactEmail"), entity.GetString("Address"))
    {
        CompanyNumber = entity.GetString("CompanyNumber"),
        ContactName = entity.GetString("ContactName"),
    };
}

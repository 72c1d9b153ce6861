using System.ComponentModel.DataAnnotations;

namespace Partnership.Functions.Infrastructure;

/// <summary>
/// Where the app keeps its data. Locally a connection string to Azurite; in Azure the account name alone, reached
/// with the app's managed identity. <see cref="Prefix"/> keeps several copies of the app's data apart in one account.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    public string? AccountName { get; set; }

    [RegularExpression("^[a-z][a-z0-9]{0,15}$", ErrorMessage = "The storage prefix is up to 16 lower-case letters and digits, starting with a letter.")]
    public string Prefix { get; set; } = "pf";

    /// <summary>Uploads larger than this are refused before anything is stored.</summary>
    [Range(1, 200 * 1024 * 1024)]
    public long MaxDocumentBytes { get; set; } = 25 * 1024 * 1024;

    public string EffectsQueue => $"{Prefix}-effects";

    public string DocumentsContainer => $"{Prefix}-documents";
}

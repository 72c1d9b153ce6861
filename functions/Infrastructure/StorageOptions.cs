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

    /// <summary>
    /// How long one storage call may take before it is abandoned, and how often it is tried again: together they
    /// bound how long a request waits on a stalled account before it is answered 503.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(3);

    [Range(0, 5)]
    public int MaxRetries { get; set; } = 1;

    public string DocumentsContainer => $"{Prefix}-documents";
}

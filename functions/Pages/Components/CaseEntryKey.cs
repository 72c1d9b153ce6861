using System.Security.Cryptography;
using System.Text;
using Partnership.Functions.Infrastructure;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Pages.Components;

/// <summary>
/// A business case entry's key in a remove form: a digest of what the entry says, so the form names the entry the
/// person saw rather than a place in the list that a colleague's change may have moved.
/// </summary>
public static class CaseEntryKey
{
    public static string Of(CaseEntry entry) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(WorkflowJson.Serialize(entry))))[..32];
}

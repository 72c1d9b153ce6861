using System.Reflection;

namespace Partnership.Functions.Infrastructure;

/// <summary>The data files built into the app from <c>functions/Data/</c>, by file name.</summary>
public static class EmbeddedData
{
    public static Stream Open(string fileName) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream($"Partnership.Functions.Data.{fileName}")
            ?? throw new InvalidOperationException($"{fileName} is missing from the build.");
}

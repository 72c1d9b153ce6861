using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Partnership.Workflows.Bids;

namespace Partnership.Functions.Infrastructure;

/// <summary>
/// How workflow values are stored and sent. Events, effects and commands are written with their type name as a discriminator, found
/// by reflection over the workflow assembly so that a new event type needs no registration here.
/// </summary>
public static class WorkflowJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Stored {typeof(T).Name} was null.");

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AddSubtypes(typeof(BidEvent)), AddSubtypes(typeof(Effect)), AddSubtypes(typeof(BidCommand)), AddSubtypes(typeof(DraftChange)), AddSubtypes(typeof(CaseEntry), "entry") } },
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>A base type's subtypes, told apart by <paramref name="discriminator"/>: "type" unless the subtypes have a property of that name.</summary>
    private static Action<JsonTypeInfo> AddSubtypes(Type baseType, string discriminator = "type") => info =>
    {
        if (info.Type != baseType)
        {
            return;
        }

        info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = discriminator };
        foreach (var subtype in baseType.Assembly.GetTypes().Where(t => t.IsSubclassOf(baseType) && !t.IsAbstract).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(subtype, subtype.Name));
        }
    };
}

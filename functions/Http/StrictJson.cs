using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Partnership.Workflows;

namespace Partnership.Functions.Http;

/// <summary>
/// How request bodies are read. Every value is checked as it is read, so a mistake anywhere in a body becomes a
/// <see cref="JsonException"/> whose path names the field and whose message says what to send instead; nothing
/// unreadable, out of range or not valid Unicode gets past the edge.
/// </summary>
public static class StrictJson
{
    /// <summary>No text field in a request is longer than this; the longest (a narrative) fits in it many times over.</summary>
    public const int MaxTextLength = 20_000;

    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new AmountConverter());
        options.Converters.Add(new WholeNumberConverter());
        options.Converters.Add(new DateConverter());
        options.Converters.Add(new TextConverter());
        options.Converters.Add(new YesNoConverter());
        options.Converters.Add(new NamedEnumConverterFactory());
    }

    private sealed class AmountConverter : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var value))
            {
                throw new JsonException("Give a plain number of pounds and pence, like 50903.27.");
            }

            return Money.IsWithinCeiling(value)
                ? value
                : throw new JsonException($"Amounts are at most {Money.Pounds(Money.Ceiling)}.");
        }

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    private sealed class WholeNumberConverter : JsonConverter<int>
    {
        public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) && value is >= -1_000_000 and <= 1_000_000
                ? value
                : throw new JsonException("Give a whole number, like 3.");

        public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    private sealed class DateConverter : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? ReadText(ref reader) : null;
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && Dates.IsPlausible(date)
                ? date
                : throw new JsonException($"Give a date as YYYY-MM-DD, from {Dates.Earliest:yyyy} to {Dates.Latest:yyyy}, like 2027-01-17.");
        }

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private sealed class TextConverter : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String ? ReadText(ref reader) : throw new JsonException("Give text here, in quotes.");

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadText(ref reader);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
    }

    private sealed class YesNoConverter : JsonConverter<bool>
    {
        public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw new JsonException("Give true or false, without quotes."),
        };

        public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
    }

    /// <summary>Enums by name only: a number, or a name the enum does not define, is refused with the names it does.</summary>
    private sealed class NamedEnumConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(NamedEnumConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class NamedEnumConverter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        private static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(v => v.ToString(), v => v, StringComparer.OrdinalIgnoreCase);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && ByName.TryGetValue(ReadText(ref reader), out var value)
                ? value
                : throw new JsonException($"Choose one of {string.Join(", ", Enum.GetNames<T>())}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Read(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(value.ToString());
    }

    /// <summary>A string token as text, refusing what Table Storage, pages and email could not carry safely.</summary>
    private static string ReadText(ref Utf8JsonReader reader)
    {
        string text;
        try
        {
            text = reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            throw new JsonException("The text is not valid Unicode.");
        }

        return FreeText.Problem(text, MaxTextLength) is { } problem ? throw new JsonException(problem) : text;
    }
}

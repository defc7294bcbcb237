using System.Globalization;
using System.Text.Json;

namespace Skillscope.Assessment.Assessing;

/// <summary>
/// Reading and writing the values of a record as one JSON array, in a fixed order: how stored assessments
/// keep their many small records (evidence items, contributions, fusion components) without repeating
/// every field name in every one of them. Numbers follow the serializer's own rules (shortest round-trip
/// form; NaN and infinities as the named literals it reads).
/// </summary>
internal static class PositionalJson
{
    public static void Write(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    public static void Write(Utf8JsonWriter writer, float? value)
    {
        if (value is not { } number)
        {
            writer.WriteNullValue();
        }
        else if (float.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
        }
    }

    public static void Write(Utf8JsonWriter writer, double? value)
    {
        if (value is { } number)
        {
            Write(writer, number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>Checks the reader is on the array's start (the caller handles the older object form first).</summary>
    public static void Start(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected an array or an object, found {reader.TokenType}");
        }
    }

    /// <summary>Moves past the array's last value to its end.</summary>
    public static void End(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("a stored record has more values than its fields");
        }
    }

    /// <summary>
    /// Reads a trailing optional text and moves to the array's end: null when the array ends first (a record
    /// stored before the field existed) or the value is null.
    /// </summary>
    public static string? TrailingString(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("a stored record ends early");
        }

        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return null;
        }

        string? value = reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetString(),
            _ => throw new JsonException($"expected text, found {reader.TokenType}"),
        };
        End(ref reader);
        return value;
    }

    public static string String(ref Utf8JsonReader reader) =>
        NullableString(ref reader) ?? throw new JsonException("a stored record has null where text is required");

    public static string? NullableString(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetString(),
            _ => throw new JsonException($"expected text, found {reader.TokenType}"),
        };
    }

    public static double Double(ref Utf8JsonReader reader) =>
        NullableDouble(ref reader) ?? throw new JsonException("a stored record has null where a number is required");

    public static double? NullableDouble(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number => reader.GetDouble(),
            JsonTokenType.String when double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double named) => named,
            _ => throw new JsonException($"expected a number, found {reader.TokenType}"),
        };
    }

    public static float Float(ref Utf8JsonReader reader) =>
        NullableFloat(ref reader) ?? throw new JsonException("a stored record has null where a number is required");

    public static float? NullableFloat(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number => reader.GetSingle(),
            JsonTokenType.String when float.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out float named) => named,
            _ => throw new JsonException($"expected a number, found {reader.TokenType}"),
        };
    }

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            throw new JsonException("a stored record has fewer values than its fields");
        }
    }
}

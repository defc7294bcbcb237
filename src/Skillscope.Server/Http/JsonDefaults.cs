using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skillscope.Server.Http;

/// <summary>The API's JSON: snake_case names, nulls left out.</summary>
internal static class JsonDefaults
{
    public static JsonSerializerOptions Options { get; } = Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Sets the API's conventions on <paramref name="options"/> (the framework's own, for one).</summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;

        // Responses are JSON documents, never embedded in HTML: keep quotes and accents readable.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }

    /// <summary>
    /// Options for a context of generated serialisers written with <see cref="GeneratedJsonResult{T}"/>: the
    /// API's, without the encoder (the generated code runs only when the options name none; the writer gets it).
    /// </summary>
    public static JsonSerializerOptions ForGeneratedCode() => new(Options) { TypeInfoResolver = null, Encoder = null };
}

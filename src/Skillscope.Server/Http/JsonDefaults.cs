using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skillscope.Server.Http;

/// <summary>The API's JSON: snake_case names, nulls left out.</summary>
internal static class JsonDefaults
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,

        // Responses are JSON documents, never embedded in HTML: keep quotes and accents readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

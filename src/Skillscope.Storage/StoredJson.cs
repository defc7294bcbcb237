using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skillscope.Storage;

/// <summary>
/// How documents the stores keep as JSON are written (fusion proposals, retraining reports): snake_case names as
/// the API's, and NaN or infinities kept (a measure undefined on the data it was taken on) rather than refused.
/// </summary>
internal static class StoredJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skillscope.Scoring.Monitoring;

/// <summary>A reference profile as stored (and shown): snake_case JSON; a bound of a variable that was always missing is written as "NaN".</summary>
public static class ReferenceProfileJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(ReferenceProfile profile) => JsonSerializer.Serialize(profile, Options);

    /// <exception cref="JsonException">The text is not a reference profile.</exception>
    public static ReferenceProfile Parse(string json) =>
        JsonSerializer.Deserialize<ReferenceProfile>(json, Options) ?? throw new JsonException("a reference profile is an object");
}

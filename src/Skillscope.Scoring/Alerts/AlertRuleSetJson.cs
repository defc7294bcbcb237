using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skillscope.Scoring.Alerts;

/// <summary>The rules document as stored: snake_case JSON, unset values left out (so they keep following the kinds' defaults).</summary>
public static class AlertRuleSetJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(AlertRuleSet rules) => JsonSerializer.Serialize(rules, Options);

    /// <exception cref="JsonException">The text is not a rules document.</exception>
    public static AlertRuleSet Parse(string json) =>
        JsonSerializer.Deserialize<AlertRuleSet>(json, Options) is { Rules: not null, Webhooks: not null } rules
            ? rules
            : throw new JsonException("a rules document is an object with rules and webhooks");
}

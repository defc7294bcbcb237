namespace Skillscope.Scoring.Alerts;

/// <summary>
/// Where alerts are posted: a URL, the body's form (<see cref="Json"/>, signed with the webhook's secret, or
/// <see cref="Slack"/>, a message an incoming Slack webhook accepts), and which rules (null: every rule).
/// The signing secret is kept apart from the rules (never shown, never in the audit log).
/// </summary>
public sealed record AlertWebhook(string Id, string Url, string Format = AlertWebhook.Json, IReadOnlyList<string>? Rules = null)
{
    public const string Json = "json";

    public const string Slack = "slack";

    /// <summary>True when this webhook is told about <paramref name="ruleId"/>'s alerts.</summary>
    public bool Takes(string ruleId) => Rules is null || Rules.Contains(ruleId, StringComparer.Ordinal);
}

using Skillscope.Scoring.Alerts;
using Skillscope.Server.Alerting;

namespace Skillscope.Server.Endpoints;

/// <summary>The alert rules in force, with their version (send it back with a change).</summary>
internal sealed record AlertRulesResponse(string RequestId, long Version, IReadOnlyList<AlertRule> Rules, IReadOnlyList<AlertWebhookView> Webhooks, IReadOnlyList<string> Kinds);

/// <summary>
/// Alerts now (firing, including those waiting out their clear time, and pending ones waiting out their
/// for time), the latest events (newest first) and the latest webhook deliveries with their outcome.
/// </summary>
internal sealed record AlertsResponse(
    string RequestId, DateTime? EvaluatedAt, IReadOnlyList<AlertView> Firing, IReadOnlyList<AlertView> Pending, IReadOnlyList<AlertEvent> History,
    IReadOnlyList<AlertDeliveryView> Deliveries);

/// <summary>One alert: its rule, what it is about, since when, and the latest value against the threshold.</summary>
internal sealed record AlertView(string Rule, string Subject, string Status, DateTime Since, DateTime? FiredAt, double Value, double Threshold, DateTime UpdatedAt);

/// <summary>One delivery: the event, the webhook, its outcome so far and the last failure.</summary>
internal sealed record AlertDeliveryView(long Id, long EventId, string Webhook, string Status, int Attempts, DateTime CreatedAt, DateTime? NextAttempt,
    DateTime? DeliveredAt, string? LastError);

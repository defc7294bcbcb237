using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skillscope.Scoring.Alerts;

/// <summary>The bodies posted to webhooks: the event as JSON, or a Slack message.</summary>
public static class AlertPayloads
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The body of <paramref name="alert"/> in <paramref name="format"/> (<see cref="AlertWebhook.Json"/> or <see cref="AlertWebhook.Slack"/>).</summary>
    public static byte[] Body(AlertEvent alert, string format, long deliveryId)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return format == AlertWebhook.Slack
            ? JsonSerializer.SerializeToUtf8Bytes(new SlackMessage(SlackText(alert)), Options)
            : JsonSerializer.SerializeToUtf8Bytes(new EventBody($"alert.{alert.Type}", alert.Id, deliveryId, alert.RuleId, alert.Kind, alert.Subject, alert.Type,
                alert.Value, alert.Threshold, alert.At, alert.Message), Options);
    }

    private static string SlackText(AlertEvent alert) => string.Create(CultureInfo.InvariantCulture,
        $"{(alert.Type == AlertEvent.Fired ? ":rotating_light: *Alert firing*" : ":white_check_mark: *Alert resolved*")}: {alert.Message} (at {alert.At:yyyy-MM-dd HH:mm} UTC)");

    private sealed record SlackMessage(string Text);

    private sealed record EventBody(
        [property: JsonPropertyName("event")] string Event, long EventId, long DeliveryId, string Rule, string Kind, string Subject, string Status,
        double Value, double Threshold, DateTime At, string Message);
}

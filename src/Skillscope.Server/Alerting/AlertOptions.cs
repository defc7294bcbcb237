using System.Globalization;
using Skillscope.Server.Hosting;

namespace Skillscope.Server.Alerting;

/// <summary><c>Alerts</c>: whether rules are evaluated here, how often, and how often and how patiently webhooks are posted to.</summary>
internal sealed class AlertOptions : ISettings
{
    public const string Section = "Alerts";

    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between evaluations of every rule (one replica evaluates each time).</summary>
    public double EvaluationSeconds { get; set; } = 60;

    /// <summary>Seconds between looks for deliveries due.</summary>
    public double DeliverySeconds { get; set; } = 5;

    /// <summary>Seconds a webhook receiver has to answer before the attempt counts as failed (and is tried again later).</summary>
    public double WebhookTimeoutSeconds { get; set; } = 10;

    /// <summary>Seconds before a failed delivery is tried again the first time; each later pause is three times the one before, up to an hour.</summary>
    public double RetrySeconds { get; set; } = 10;

    public TimeSpan EvaluationInterval => TimeSpan.FromSeconds(EvaluationSeconds);

    public string? Problem() =>
        !(EvaluationSeconds is >= 1 and <= 3600) ? $"Alerts:EvaluationSeconds must be between 1 and 3600, not {Number(EvaluationSeconds)}"
        : !(DeliverySeconds is >= 0.1 and <= 600) ? $"Alerts:DeliverySeconds must be between 0.1 and 600, not {Number(DeliverySeconds)}"
        : !(WebhookTimeoutSeconds is >= 1 and <= 120) ? $"Alerts:WebhookTimeoutSeconds must be between 1 and 120, not {Number(WebhookTimeoutSeconds)}"
        : !(RetrySeconds is >= 0.1 and <= 3600) ? $"Alerts:RetrySeconds must be between 0.1 and 3600, not {Number(RetrySeconds)}"
        : null;

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}

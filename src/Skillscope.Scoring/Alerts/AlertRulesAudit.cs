using Skillscope.Scoring.Registry;

namespace Skillscope.Scoring.Alerts;

/// <summary>How changes of the alert rules stand in the audit log, and how they are shown.</summary>
public static class AlertRulesAudit
{
    public const string Action = "alerts.rules";

    /// <summary>
    /// <paramref name="entry"/> as it may be shown: a rules change audited before webhook URLs were kept apart
    /// holds them in the clear, so they are masked; any other entry is as stored.
    /// </summary>
    public static AuditEntry Shown(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Action != Action ? entry : entry with
        {
            Before = entry.Before is null ? null : AlertWebhook.MaskUrlsIn(entry.Before),
            After = entry.After is null ? null : AlertWebhook.MaskUrlsIn(entry.After),
        };
    }
}

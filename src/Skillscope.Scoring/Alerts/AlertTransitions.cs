namespace Skillscope.Scoring.Alerts;

/// <summary>
/// The life of one alert, decided from its stored state and a fresh measurement. It fires when the measure
/// has stood at the threshold for the rule's for_minutes, and resolves only when it has stood back past the
/// clear threshold for clear_minutes: a value that hovers near the threshold fires once and resolves once.
/// </summary>
public static class AlertTransitions
{
    /// <summary>
    /// The next state (null: ok) and the event it makes (null: none) for <paramref name="current"/> given
    /// <paramref name="measured"/> at <paramref name="now"/>. <paramref name="rule"/> is resolved.
    /// </summary>
    public static (AlertState? Next, AlertEvent? Event) Next(AlertRule rule, AlertState? current, AlertMeasurement measured, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(measured);
        bool below = AlertKinds.FiresBelow(rule.Kind);
        bool breach = below ? measured.Value <= measured.Threshold : measured.Value >= measured.Threshold;
        bool clear = below ? measured.Value > measured.ClearThreshold : measured.Value < measured.ClearThreshold;
        var forDuration = TimeSpan.FromMinutes(rule.ForMinutes);
        var clearDuration = TimeSpan.FromMinutes(rule.ClearMinutes);
        switch (current?.Status)
        {
            case null:
                if (!breach)
                {
                    return (null, null);
                }

                // A new state's revision starts from the clock, so a state deleted and made again never repeats a
                // revision a slow replica may still hold.
                return forDuration == TimeSpan.Zero
                    ? Fire(rule, measured, now, revision: now.Ticks)
                    : (new AlertState(rule.Id, measured.Subject, AlertState.Pending, now, null, measured.Value, measured.Threshold, now, now.Ticks + 1), null);

            case AlertState.Pending:
                if (!breach)
                {
                    return (null, null);
                }

                return now - current.Since >= forDuration
                    ? Fire(rule, measured, now, current.Revision)
                    : (Updated(current, measured, now), null);

            case AlertState.Firing:
                if (!clear)
                {
                    return (Updated(current, measured, now), null);
                }

                return clearDuration == TimeSpan.Zero
                    ? Resolve(rule, current, measured.Value, measured.Threshold, now, "back within its threshold")
                    : (Updated(current, measured, now) with { Status = AlertState.Resolving, Since = now }, null);

            default:
                // Resolving: back at the threshold (or between the two) keeps it firing, with no new event.
                if (!clear)
                {
                    return (Updated(current, measured, now) with { Status = AlertState.Firing, Since = current.FiredAt ?? current.Since }, null);
                }

                return now - current.Since >= clearDuration
                    ? Resolve(rule, current, measured.Value, measured.Threshold, now, "back within its threshold")
                    : (Updated(current, measured, now), null);
        }
    }

    /// <summary>The event that resolves <paramref name="current"/> because <paramref name="why"/> (null when it never fired).</summary>
    public static AlertEvent? Dropped(AlertState current, string kind, DateTime now, string why)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current.IsFiring
            ? new AlertEvent(0, current.RuleId, kind, current.Subject, AlertEvent.ResolvedType, now, current.Value, current.Threshold,
                $"{current.Subject}: resolved because {why}")
            : null;
    }

    private static (AlertState, AlertEvent) Fire(AlertRule rule, AlertMeasurement measured, DateTime now, long revision) =>
        (new AlertState(rule.Id, measured.Subject, AlertState.Firing, now, now, measured.Value, measured.Threshold, now, revision + 1),
         new AlertEvent(0, rule.Id, rule.Kind, measured.Subject, AlertEvent.Fired, now, measured.Value, measured.Threshold, Message(rule, measured.Subject, measured.Value, measured.Threshold, firing: true)));

    private static (AlertState?, AlertEvent) Resolve(AlertRule rule, AlertState current, double value, double threshold, DateTime now, string why) =>
        (null, new AlertEvent(0, rule.Id, rule.Kind, current.Subject, AlertEvent.ResolvedType, now, value, threshold,
            $"{Message(rule, current.Subject, value, threshold, firing: false)}: {why}"));

    private static AlertState Updated(AlertState current, AlertMeasurement measured, DateTime now) =>
        current with { Value = measured.Value, Threshold = measured.Threshold, UpdatedAt = now, Revision = current.Revision + 1 };

    private static string Message(AlertRule rule, string subject, double value, double threshold, bool firing)
    {
        string comparison = AlertKinds.FiresBelow(rule.Kind) ? (firing ? "at or below" : "above") : (firing ? "at or above" : "below");
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{AlertKinds.Describe(rule.Kind)} of {subject} is {value:0.###}, {comparison} {threshold:0.###} over {rule.Window} (rule {rule.Id})");
    }
}

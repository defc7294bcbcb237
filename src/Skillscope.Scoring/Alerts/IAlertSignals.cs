namespace Skillscope.Scoring.Alerts;

/// <summary>
/// Measures what a rule watches, from what every replica recorded (so any replica's evaluation agrees):
/// one measurement per subject with enough data for a verdict; subjects without are left out.
/// </summary>
public interface IAlertSignals
{
    Task<IReadOnlyList<AlertMeasurement>> MeasureAsync(AlertRule rule, CancellationToken cancellation = default);

    /// <summary>
    /// True while <paramref name="subject"/> is still something <paramref name="rule"/> watches (a version that
    /// takes traffic, the feature it names), though it may lack the data for a verdict now; an alert on a
    /// subject no longer watched resolves.
    /// </summary>
    bool Watches(AlertRule rule, string subject);
}

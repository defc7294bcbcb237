namespace Skillscope.Scoring.Alerts;

/// <summary>
/// Measures what a rule watches, from what every replica recorded (so any replica's evaluation agrees):
/// one measurement per subject with enough data for a verdict; subjects without are left out.
/// </summary>
public interface IAlertSignals
{
    Task<IReadOnlyList<AlertMeasurement>> MeasureAsync(AlertRule rule, CancellationToken cancellation = default);
}

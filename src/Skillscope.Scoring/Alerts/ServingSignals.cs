using Skillscope.Scoring.Monitoring;

namespace Skillscope.Scoring.Alerts;

/// <summary>
/// What the serving rules watch, from the counts every replica writes: drift and coverage of each served
/// version, and the API's error rate and latency. Made for one evaluation: a version's drift over a window
/// is read once however many rules ask for it. Other kinds measure nothing here.
/// </summary>
/// <param name="monitor">Reads the counts.</param>
/// <param name="served">The versions that take traffic, by model.</param>
/// <param name="thresholdsFor">A model's drift thresholds, and those of its variables that have their own.</param>
public sealed class ServingSignals(
    ModelMonitor monitor, IReadOnlyList<(string Model, string Version)> served,
    Func<string, (DriftThresholds Model, IReadOnlyDictionary<string, DriftThresholds> Variables)> thresholdsFor) : IAlertSignals
{
    private readonly Dictionary<(string Model, string Version, TimeSpan Window), DriftReport?> _drift = [];

    public async Task<IReadOnlyList<AlertMeasurement>> MeasureAsync(AlertRule rule, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var window = AlertWindow.Parse(rule.Window) ?? throw new ArgumentException($"window \"{rule.Window}\" is not a window", nameof(rule));
        return rule.Kind switch
        {
            AlertKinds.FeatureDrift or AlertKinds.ScoreDrift or AlertKinds.LowCoverage => await PerVersionAsync(rule, window, cancellation).ConfigureAwait(false),
            AlertKinds.ErrorRate or AlertKinds.LatencyP95 => await RequestsAsync(rule, window, cancellation).ConfigureAwait(false),
            _ => [],
        };
    }

    public bool Watches(AlertRule rule, string subject)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(subject);
        if (!AlertKinds.PerModel(rule.Kind))
        {
            return true;
        }

        // model@version, then /feature for feature drift.
        int slash = subject.IndexOf('/', StringComparison.Ordinal);
        string version = slash < 0 ? subject : subject[..slash];
        foreach (var (model, taking) in served)
        {
            if ($"{model}@{taking}" == version)
            {
                return (rule.Model is null || rule.Model == model) && (rule.Feature is null || slash < 0 || subject[(slash + 1)..] == rule.Feature);
            }
        }

        return false;
    }

    private async Task<IReadOnlyList<AlertMeasurement>> PerVersionAsync(AlertRule rule, TimeSpan window, CancellationToken cancellation)
    {
        var measured = new List<AlertMeasurement>();
        foreach (var (model, version) in served)
        {
            if (rule.Model is not null && rule.Model != model)
            {
                continue;
            }

            var (thresholds, perVariable) = thresholdsFor(model);
            if (!_drift.TryGetValue((model, version, window), out var report))
            {
                report = await monitor.DriftAsync(model, version, window, thresholds, perVariable, cancellation).ConfigureAwait(false);
                _drift[(model, version, window)] = report;
            }

            if (report is not null)
            {
                Add(measured, rule, $"{model}@{version}", report, thresholds.MinimumRows);
            }
        }

        return measured;
    }

    private static void Add(List<AlertMeasurement> measured, AlertRule rule, string subject, DriftReport report, long driftMinimumRows)
    {
        if (rule.Kind == AlertKinds.LowCoverage)
        {
            long rows = 0, low = 0;
            int lowSlots = (int)Math.Round(rule.CoverageBelow!.Value * LiveCounts.CoverageSlots);
            for (int slot = 0; slot < report.Coverage.Count; slot++)
            {
                rows += report.Coverage[slot];
                low += slot < lowSlots ? report.Coverage[slot] : 0;
            }

            if (rows >= rule.MinimumCount)
            {
                measured.Add(new AlertMeasurement(subject, (double)low / rows, rule.Threshold!.Value, rule.ClearThreshold!.Value, rows));
            }

            return;
        }

        if (report.LiveRows < (rule.MinimumCount ?? driftMinimumRows))
        {
            return;
        }

        var variables = rule.Kind == AlertKinds.ScoreDrift ? (report.Score is { } score ? [score] : []) : report.Features;
        foreach (var variable in variables)
        {
            if ((rule.Feature is null || rule.Feature == variable.Name) && variable.Status != DriftCalculator.InsufficientData)
            {
                measured.Add(new AlertMeasurement(rule.Kind == AlertKinds.ScoreDrift ? subject : $"{subject}/{variable.Name}", variable.PsiExcess,
                    rule.Threshold ?? variable.Alert, rule.ClearThreshold ?? variable.Warn, report.LiveRows));
            }
        }
    }

    private async Task<IReadOnlyList<AlertMeasurement>> RequestsAsync(AlertRule rule, TimeSpan window, CancellationToken cancellation)
    {
        var counts = await monitor.RequestsAsync(window, cancellation).ConfigureAwait(false);
        if (counts.Requests < rule.MinimumCount)
        {
            return [];
        }

        double value = rule.Kind == AlertKinds.ErrorRate
            ? (double)counts.Failures / counts.Requests
            : RequestCounts.Quantile(counts.Latency, 0.95) ?? 0;
        return [new AlertMeasurement("api", value, rule.Threshold!.Value, rule.ClearThreshold!.Value, counts.Requests)];
    }
}

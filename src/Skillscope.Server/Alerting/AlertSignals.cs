using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Reasoning;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Hosting;

namespace Skillscope.Server.Alerting;

/// <summary>
/// What the rules watch, measured from the database every replica writes to (so any replica's evaluation
/// agrees): drift and coverage of every version that takes traffic, request counts, and the assessments'
/// agreement with teacher ratings and feedback sources. Made for one evaluation: what several rules read
/// (a version's drift over a window, a window's assessments) is read once.
/// </summary>
internal sealed class AlertSignals(ModelMonitor monitor, ModelCatalog catalog, MonitoringOptions monitoring, IScoreMonitor scores) : IAlertSignals
{
    /// <summary>Assessments read at most for rating and feedback rules, so an evaluation's cost is bounded.</summary>
    private const int MaxAssessments = 200_000;

    /// <summary>Reasons the LLM was asked for a text and the template wrote it instead.</summary>
    private static readonly HashSet<string> Fallbacks = new(StringComparer.Ordinal)
    {
        FeedbackReasons.OverBudget, FeedbackReasons.RateLimited, FeedbackReasons.UpstreamRateLimited, FeedbackReasons.UpstreamError,
        FeedbackReasons.Timeout, FeedbackReasons.InvalidOutput, FeedbackReasons.CircuitOpen, FeedbackReasons.RedactionUnavailable,
    };

    private readonly Dictionary<(string Model, string Version, TimeSpan Window), DriftReport?> _drift = [];
    private readonly Dictionary<TimeSpan, ScoreMonitoring> _assessments = [];

    public async Task<IReadOnlyList<AlertMeasurement>> MeasureAsync(AlertRule rule, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var window = AlertWindow.Parse(rule.Window) ?? throw new ArgumentException($"window \"{rule.Window}\" is not a window", nameof(rule));
        return rule.Kind switch
        {
            AlertKinds.FeatureDrift or AlertKinds.ScoreDrift or AlertKinds.LowCoverage => await PerVersionAsync(rule, window, cancellation).ConfigureAwait(false),
            AlertKinds.ErrorRate or AlertKinds.LatencyP95 => await RequestsAsync(rule, window, cancellation).ConfigureAwait(false),
            AlertKinds.RatingCorrelation or AlertKinds.LlmFallback => await AssessmentsAsync(rule, window, cancellation).ConfigureAwait(false),
            _ => [],
        };
    }

    private async Task<IReadOnlyList<AlertMeasurement>> PerVersionAsync(AlertRule rule, TimeSpan window, CancellationToken cancellation)
    {
        var measured = new List<AlertMeasurement>();
        foreach (var (name, served) in catalog.Models)
        {
            if (rule.Model is not null && rule.Model != name)
            {
                continue;
            }

            var (thresholds, perVariable) = monitoring.ThresholdsFor(name);
            foreach (string version in TrafficVersions(served))
            {
                if (!_drift.TryGetValue((name, version, window), out var report))
                {
                    report = await monitor.DriftAsync(name, version, window, thresholds, perVariable, cancellation).ConfigureAwait(false);
                    _drift[(name, version, window)] = report;
                }

                if (report is not null)
                {
                    Add(measured, rule, $"{name}@{version}", report, thresholds.MinimumRows);
                }
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

    /// <summary>The versions a model's traffic reaches: those its aliases and its split point at.</summary>
    private static SortedSet<string> TrafficVersions(ServedModel served)
    {
        var versions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var alias in served.Aliases.Values)
        {
            versions.Add(alias.Version);
        }

        foreach (var share in served.Split?.Shares ?? [])
        {
            versions.Add(share.Version);
        }

        return versions;
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

    private async Task<IReadOnlyList<AlertMeasurement>> AssessmentsAsync(AlertRule rule, TimeSpan window, CancellationToken cancellation)
    {
        if (!_assessments.TryGetValue(window, out var recent))
        {
            recent = await scores.MonitorAsync(monitor.Now - window, MaxAssessments, cancellation).ConfigureAwait(false);
            _assessments[window] = recent;
        }

        if (rule.Kind == AlertKinds.RatingCorrelation)
        {
            return [.. recent.Skills
                .Where(skill => skill.Rated >= rule.MinimumCount && skill.RatingCorrelation is not null)
                .Select(skill => new AlertMeasurement(skill.Skill, skill.RatingCorrelation!.Value, rule.Threshold!.Value, rule.ClearThreshold!.Value, skill.Rated))];
        }

        long asked = 0, fellBack = 0;
        foreach (var usage in recent.Feedback)
        {
            bool fallback = usage.Reason is { } reason && Fallbacks.Contains(reason);
            if (fallback || usage.Reason is FeedbackReasons.Written or FeedbackReasons.Cached)
            {
                asked += usage.Assessments;
                fellBack += fallback ? usage.Assessments : 0;
            }
        }

        return asked < rule.MinimumCount ? [] : [new AlertMeasurement("feedback", (double)fellBack / asked, rule.Threshold!.Value, rule.ClearThreshold!.Value, asked)];
    }
}

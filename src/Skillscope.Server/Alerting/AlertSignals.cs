using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Reasoning;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Hosting;

namespace Skillscope.Server.Alerting;

/// <summary>
/// What the rules watch: the serving measures (<see cref="ServingSignals"/>) of every version that takes
/// traffic, and the assessments' agreement with teacher ratings and feedback sources, all from the database
/// every replica writes to (so any replica's evaluation agrees). Made for one evaluation: what several
/// rules read is read once.
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

    private readonly ServingSignals _serving = new(monitor, TrafficVersions(catalog), monitoring.ThresholdsFor);
    private readonly Dictionary<TimeSpan, ScoreMonitoring> _assessments = [];

    public async Task<IReadOnlyList<AlertMeasurement>> MeasureAsync(AlertRule rule, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Kind is not (AlertKinds.RatingCorrelation or AlertKinds.LlmFallback))
        {
            return await _serving.MeasureAsync(rule, cancellation).ConfigureAwait(false);
        }

        var window = AlertWindow.Parse(rule.Window) ?? throw new ArgumentException($"window \"{rule.Window}\" is not a window", nameof(rule));
        return await AssessmentsAsync(rule, window, cancellation).ConfigureAwait(false);
    }

    public bool Watches(AlertRule rule, string subject) => _serving.Watches(rule, subject);

    /// <summary>The versions each model's traffic reaches: those its aliases and its split point at.</summary>
    private static List<(string Model, string Version)> TrafficVersions(ModelCatalog catalog)
    {
        var versions = new List<(string Model, string Version)>();
        foreach (var (name, served) in catalog.Models.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var reached = new SortedSet<string>(served.Aliases.Values.Select(alias => alias.Version), StringComparer.Ordinal);
            reached.UnionWith(served.Split?.Shares.Select(share => share.Version) ?? []);
            versions.AddRange(reached.Select(version => (name, version)));
        }

        return versions;
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

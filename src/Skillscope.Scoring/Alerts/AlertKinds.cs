namespace Skillscope.Scoring.Alerts;

/// <summary>
/// What an alert rule watches, and its defaults (the seed documents' thresholds). A rule fires when its
/// measure reaches the threshold (falls to it, for a measure that should stay high) and resolves only once
/// it is back past the clear threshold, so a value hovering at the threshold does not fire and resolve by turns.
/// </summary>
public static class AlertKinds
{
    /// <summary>A feature's drift (excess population stability index) against its version's reference.</summary>
    public const string FeatureDrift = "feature_drift";

    /// <summary>The score's drift against its version's reference.</summary>
    public const string ScoreDrift = "score_drift";

    /// <summary>Share of scored rows whose feature coverage is below <see cref="AlertRule.CoverageBelow"/>.</summary>
    public const string LowCoverage = "low_coverage";

    /// <summary>Share of API requests answered with a server error.</summary>
    public const string ErrorRate = "error_rate";

    /// <summary>95th percentile of API request time, in milliseconds.</summary>
    public const string LatencyP95 = "latency_p95";

    /// <summary>Pearson's r between a skill's scores and teacher ratings (fires when it falls below).</summary>
    public const string RatingCorrelation = "rating_correlation";

    /// <summary>Share of feedback texts the LLM was asked for but the template wrote (failures, budget, timeouts).</summary>
    public const string LlmFallback = "llm_fallback";

    public static IReadOnlyList<string> All { get; } = [FeatureDrift, ScoreDrift, LowCoverage, ErrorRate, LatencyP95, RatingCorrelation, LlmFallback];

    /// <summary>True for kinds measured per model version (the rule may name one model).</summary>
    public static bool PerModel(string kind) => kind is FeatureDrift or ScoreDrift or LowCoverage;

    /// <summary>True for drift kinds, whose thresholds default to the monitoring's drift thresholds of each variable.</summary>
    public static bool IsDrift(string kind) => kind is FeatureDrift or ScoreDrift;

    /// <summary>True when the rule fires as the measure falls (a correlation), not as it rises.</summary>
    public static bool FiresBelow(string kind) => kind == RatingCorrelation;

    /// <summary>The threshold a rule of this kind has unless it sets one (null for drift: each variable's alert threshold).</summary>
    public static double? DefaultThreshold(string kind) => kind switch
    {
        LowCoverage => 0.05,
        ErrorRate => 0.05,
        LatencyP95 => 1_000,
        RatingCorrelation => 0.50,
        LlmFallback => 0.20,
        _ => null,
    };

    /// <summary>
    /// The clear threshold for <paramref name="threshold"/> unless the rule sets one: a fifth of the way back
    /// (half for drift, whose warn level is customarily half its alert level), or 0.05 of r for a correlation.
    /// </summary>
    public static double DefaultClear(string kind, double threshold) => kind switch
    {
        RatingCorrelation => threshold + 0.05,
        FeatureDrift or ScoreDrift => threshold / 2,
        _ => threshold * 0.8,
    };

    /// <summary>The window a rule of this kind measures over unless it sets one.</summary>
    public static string DefaultWindow(string kind) => kind switch
    {
        FeatureDrift or ScoreDrift => "24h",
        LowCoverage or LlmFallback => "1h",
        RatingCorrelation => "30d",
        _ => "5m",
    };

    /// <summary>Rows, requests or ratings below which a rule of this kind gives no verdict, unless it sets its own (null for drift: the monitoring's minimum).</summary>
    public static long? DefaultMinimumCount(string kind) => kind switch
    {
        LowCoverage => 100,
        ErrorRate or LatencyP95 or LlmFallback => 20,
        RatingCorrelation => 30,
        _ => null,
    };

    /// <summary>What the measure is, in a phrase a district admin can read.</summary>
    public static string Describe(string kind) => kind switch
    {
        FeatureDrift => "input drift",
        ScoreDrift => "score drift",
        LowCoverage => "rows with low feature coverage",
        ErrorRate => "server error rate",
        LatencyP95 => "95th percentile response time (ms)",
        RatingCorrelation => "agreement with teacher ratings (r)",
        LlmFallback => "share of feedback the AI writer could not write",
        _ => kind,
    };
}

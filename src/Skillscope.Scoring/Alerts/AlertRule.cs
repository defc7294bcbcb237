namespace Skillscope.Scoring.Alerts;

/// <summary>
/// One alert rule: what it watches (<see cref="Kind"/>), over which window, and when it fires and resolves.
/// Unset values take the kind's defaults (<see cref="AlertKinds"/>); <see cref="Resolved"/> fills them in.
/// </summary>
/// <param name="Id">The rule's name: lowercase letters, digits, '-' and '_'.</param>
/// <param name="Kind">One of <see cref="AlertKinds.All"/>.</param>
/// <param name="Enabled">A disabled rule is not evaluated, and its firing alerts resolve.</param>
/// <param name="Window">How far back the measure looks: minutes, hours or days such as 5m, 1h, 7d (drift: hours or days).</param>
/// <param name="Threshold">The value at which the rule fires (at or above; at or below for a correlation).</param>
/// <param name="ClearThreshold">The value the measure must be back past before the alert resolves.</param>
/// <param name="ForMinutes">Minutes the measure must stay at the threshold before the alert fires.</param>
/// <param name="ClearMinutes">Minutes the measure must stay clear before the alert resolves.</param>
/// <param name="MinimumCount">Rows, requests or ratings below which there is no verdict.</param>
/// <param name="Model">For per-model kinds: the one model watched (null: every served model).</param>
/// <param name="Feature">For feature drift: the one feature watched (null: every feature).</param>
/// <param name="CoverageBelow">For low coverage: the coverage a row counts as low below (a multiple of 0.05).</param>
public sealed record AlertRule(
    string Id,
    string Kind,
    bool Enabled = true,
    string? Window = null,
    double? Threshold = null,
    double? ClearThreshold = null,
    int ForMinutes = 0,
    int ClearMinutes = AlertRule.DefaultClearMinutes,
    long? MinimumCount = null,
    string? Model = null,
    string? Feature = null,
    double? CoverageBelow = null)
{
    /// <summary>Minutes clear before an alert resolves, unless the rule says otherwise.</summary>
    public const int DefaultClearMinutes = 5;

    /// <summary>The coverage below which a row counts as low, unless the rule says otherwise (the seeds' 60 %).</summary>
    public const double DefaultCoverageBelow = 0.60;

    /// <summary>This rule with the kind's defaults filled in where it sets nothing (drift thresholds stay unset: they come per variable).</summary>
    public AlertRule Resolved()
    {
        double? threshold = Threshold ?? AlertKinds.DefaultThreshold(Kind);
        return this with
        {
            Window = Window ?? AlertKinds.DefaultWindow(Kind),
            Threshold = threshold,
            ClearThreshold = ClearThreshold ?? (threshold is { } value ? AlertKinds.DefaultClear(Kind, value) : null),
            MinimumCount = MinimumCount ?? AlertKinds.DefaultMinimumCount(Kind),
            CoverageBelow = Kind == AlertKinds.LowCoverage ? CoverageBelow ?? DefaultCoverageBelow : null,
        };
    }
}

using System.Diagnostics.Metrics;
using Skillscope.Scoring.Alerts;
using Skillscope.Server.Telemetry;

namespace Skillscope.Server.Alerting;

/// <summary>
/// This replica's copy of the alerts firing, refreshed from the database after every evaluation (any
/// replica's), for what must answer without a query: the <c>skillscope_alerts_firing</c> gauge per rule,
/// <c>/health/detailed</c> and the dashboard's banner.
/// </summary>
internal sealed class AlertBoard
{
    private volatile Snapshot _current = new([], [], DateTime.MinValue);

    public AlertBoard(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        meters.Create(ServerMetrics.MeterName).CreateObservableGauge("skillscope.alerts.firing", Observe, description: "Alerts firing, by rule (0 for a rule with none)");
    }

    /// <summary>The alerts firing (resolving included: they have not resolved yet), oldest first.</summary>
    public IReadOnlyList<AlertState> Firing => _current.Firing;

    /// <summary>When the copy was last refreshed (MinValue before the first).</summary>
    public DateTime RefreshedAt => _current.At;

    public void Refresh(IReadOnlyList<AlertState> states, IEnumerable<string> ruleIds, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(states);
        var firing = states.Where(s => s.IsFiring).OrderBy(s => s.FiredAt).ToArray();
        _current = new Snapshot(firing, [.. ruleIds], at);
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        var current = _current;
        var counts = current.Rules.ToDictionary(rule => rule, _ => 0L, StringComparer.Ordinal);
        foreach (var state in current.Firing)
        {
            counts[state.RuleId] = counts.GetValueOrDefault(state.RuleId) + 1;
        }

        return counts.Select(count => new Measurement<long>(count.Value, new KeyValuePair<string, object?>("rule", count.Key)));
    }

    private sealed record Snapshot(IReadOnlyList<AlertState> Firing, IReadOnlyList<string> Rules, DateTime At);
}

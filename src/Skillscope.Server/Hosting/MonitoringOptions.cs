using System.Globalization;
using Skillscope.Scoring.Monitoring;

namespace Skillscope.Server.Hosting;

/// <summary>
/// <c>Monitoring</c>: whether served versions' scored rows are counted for drift, how many first rows make
/// a version's reference when it has none, how often counts are written, and the drift thresholds.
/// </summary>
internal sealed class MonitoringOptions : ISettings
{
    public const string Section = "Monitoring";

    public bool Enabled { get; set; } = true;

    /// <summary>First scored rows a version's reference is made from when it has none.</summary>
    public int ReferenceRows { get; set; } = ModelMonitor.DefaultReferenceRows;

    /// <summary>Seconds between writes of the counts (a replica that stops writes its last ones).</summary>
    public double FlushSeconds { get; set; } = ModelMonitor.DefaultFlushInterval.TotalSeconds;

    /// <summary>Population stability index from which a variable's drift is <c>warn</c>.</summary>
    public double DriftWarn { get; set; } = 0.1;

    /// <summary>Population stability index from which a variable's drift is <c>alert</c>.</summary>
    public double DriftAlert { get; set; } = 0.2;

    /// <summary>Live rows below which drift has no verdict.</summary>
    public long DriftMinimumRows { get; set; } = 500;

    /// <summary>Thresholds of particular models and their variables, by model name (<see cref="DriftSettings"/>).</summary>
    public Dictionary<string, DriftSettings> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A model's thresholds, and those of each of its variables that has its own.</summary>
    public (DriftThresholds Model, IReadOnlyDictionary<string, DriftThresholds> Variables) ThresholdsFor(string model)
    {
        var defaults = new DriftThresholds(DriftWarn, DriftAlert, DriftMinimumRows);
        if (!Models.TryGetValue(model, out var settings))
        {
            return (defaults, new Dictionary<string, DriftThresholds>(StringComparer.Ordinal));
        }

        var forModel = Apply(defaults, settings);
        var variables = new Dictionary<string, DriftThresholds>(StringComparer.Ordinal);
        foreach (var (name, variable) in settings.Features)
        {
            variables[name] = Apply(forModel, variable);
        }

        return (forModel, variables);
    }

    private static DriftThresholds Apply(DriftThresholds above, DriftSettings settings) =>
        above with { Warn = settings.DriftWarn ?? above.Warn, Alert = settings.DriftAlert ?? above.Alert };

    public string? Problem() =>
        ReferenceRows is < 100 or > 100_000 ? $"Monitoring:ReferenceRows must be between 100 and 100,000, not {ReferenceRows.ToString(CultureInfo.InvariantCulture)}"
        : !(FlushSeconds is >= 0.1 and <= 3600) ? $"Monitoring:FlushSeconds must be between 0.1 and 3600, not {FlushSeconds.ToString(CultureInfo.InvariantCulture)}"
        : !(DriftWarn > 0 && DriftAlert > DriftWarn) ? $"Monitoring:DriftWarn must be more than 0 and below Monitoring:DriftAlert ({DriftAlert.ToString(CultureInfo.InvariantCulture)}), not {DriftWarn.ToString(CultureInfo.InvariantCulture)}"
        : DriftMinimumRows < 1 ? $"Monitoring:DriftMinimumRows must be 1 or more, not {DriftMinimumRows.ToString(CultureInfo.InvariantCulture)}"
        : OverrideProblem();

    /// <summary>The first model or variable whose thresholds, merged with those above them, cannot work.</summary>
    private string? OverrideProblem()
    {
        foreach (var (model, _) in Models)
        {
            var (forModel, variables) = ThresholdsFor(model);
            if (Problem(forModel) is { } problem)
            {
                return $"Monitoring:Models:{model}: {problem}";
            }

            foreach (var (variable, thresholds) in variables)
            {
                if (Problem(thresholds) is { } variableProblem)
                {
                    return $"Monitoring:Models:{model}:Features:{variable}: {variableProblem}";
                }
            }
        }

        return null;
    }

    private static string? Problem(DriftThresholds thresholds) => thresholds.Warn > 0 && thresholds.Alert > thresholds.Warn
        ? null
        : $"DriftWarn must be more than 0 and below DriftAlert ({thresholds.Alert.ToString(CultureInfo.InvariantCulture)}), not {thresholds.Warn.ToString(CultureInfo.InvariantCulture)}";
}

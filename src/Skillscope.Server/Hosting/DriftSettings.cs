namespace Skillscope.Server.Hosting;

/// <summary>
/// Drift thresholds of one model (<c>Monitoring:Models:NAME</c>) or one of its variables
/// (<c>Monitoring:Models:NAME:Features:FEATURE</c>, <c>(score)</c> for the score); what is left out is the
/// level above's.
/// </summary>
internal sealed class DriftSettings
{
    public double? DriftWarn { get; set; }

    public double? DriftAlert { get; set; }

    /// <summary>Per variable, for a model's settings.</summary>
    public Dictionary<string, DriftSettings> Features { get; set; } = new(StringComparer.Ordinal);
}

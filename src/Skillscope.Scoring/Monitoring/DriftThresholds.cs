namespace Skillscope.Scoring.Monitoring;

/// <summary>When a variable's drift is worth a look (<see cref="Warn"/>) or an alert (<see cref="Alert"/>), and how many live rows a verdict needs.</summary>
/// <param name="Warn">Population stability index from which the status is <c>warn</c> (0.1: the customary "some shift").</param>
/// <param name="Alert">Population stability index from which the status is <c>alert</c> (0.2: the customary "significant shift").</param>
/// <param name="MinimumRows">Live rows below which no verdict is given (<c>insufficient_data</c>).</param>
public sealed record DriftThresholds(double Warn = 0.1, double Alert = 0.2, long MinimumRows = 500);

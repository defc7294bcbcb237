namespace Skillscope.Scoring.Monitoring;

/// <summary>One variable's drift between the reference and a window of live rows.</summary>
/// <param name="Name">A feature's name, or <see cref="ReferenceProfile.ScoreName"/>.</param>
/// <param name="Psi">Population stability index over the reference's bins (missing values a bin of their own).</param>
/// <param name="PsiExcess">The index less what sampling alone may give two samples of these sizes from one distribution (mean and three standard deviations): what the status is decided on.</param>
/// <param name="JensenShannon">Jensen–Shannon distance (base 2: 0 same, 1 disjoint).</param>
/// <param name="MissingReference">Share of reference rows missing this variable.</param>
/// <param name="MissingLive">Share of live rows missing it.</param>
/// <param name="Status"><c>ok</c>, <c>warn</c>, <c>alert</c> or <c>insufficient_data</c>.</param>
/// <param name="Warn">The excess index from which this variable is <c>warn</c> (its own threshold, or the model's).</param>
/// <param name="Alert">The excess index from which it is <c>alert</c>.</param>
public sealed record VariableDrift(string Name, double Psi, double PsiExcess, double JensenShannon, double MissingReference, double MissingLive, string Status, double Warn, double Alert);

/// <summary>A version's drift over a window: every feature's, the score's, and the worst status among them.</summary>
public sealed record DriftReport(
    long ReferenceRows, string ReferenceSource, DateTime ReferenceCreatedAt, long LiveRows, string Status, IReadOnlyList<VariableDrift> Features, VariableDrift? Score)
{
    /// <summary>The start of the first hour counted.</summary>
    public DateTime Since { get; init; }

    /// <summary>Live counts per slot of the reference's bins (every feature's, then the score's), summed over the window: the live distributions.</summary>
    public IReadOnlyList<long> LiveSlots { get; init; } = [];

    /// <summary>Live rows per twentieth of feature coverage (<see cref="LiveCounts.Coverage"/>), summed over the window.</summary>
    public IReadOnlyList<long> Coverage { get; init; } = [];
}

using Skillscope.Scoring.Monitoring;

namespace Skillscope.Server.Endpoints;

/// <summary>Start (or change) a model's shadow: the candidate version, the share of rows it scores too (100 by default), and the band cuts (0.5 by default).</summary>
internal sealed record ShadowRequest(string Version, int? Percent, IReadOnlyList<double>? Cuts);

/// <summary>A model's shadow: the candidate, the share of rows it scores, the band cuts.</summary>
internal sealed record ShadowView(string Model, string Version, int Percent, IReadOnlyList<double> Cuts);

/// <summary>
/// How the shadow candidate compared with each version that served, over the window: rows, mean absolute
/// difference, rank correlation, the share of rows whose band or decision changed, time per row of both,
/// the candidate's failures and dropped rows, and the drift of both against their references.
/// </summary>
internal sealed record ShadowReportResponse(
    string RequestId, string Model, string Candidate, int Percent, IReadOnlyList<double> Cuts, string Window, DateTime From, DateTime To,
    IReadOnlyList<ShadowComparison> Comparisons, IReadOnlyList<VersionDriftView> Drift);

/// <summary>One version's drift over the window: its status and its three most drifted variables.</summary>
internal sealed record VersionDriftView(string Version, string Role, string Status, long LiveRows, IReadOnlyList<VariableDrift> Worst);

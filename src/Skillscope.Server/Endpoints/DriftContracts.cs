using Skillscope.Scoring.Monitoring;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// A version's drift over a window (the whole hours from <c>from</c>, the current one included): the worst status, every feature's and the score's effect sizes
/// against the version's reference, and the thresholds they were judged by. Without a reference yet the
/// status is <c>building_reference</c> and no variable is listed.
/// </summary>
internal sealed record DriftResponse(
    string RequestId, string Model, string Version, string Window, DateTime From, DateTime To, string Status, long LiveRows,
    DriftReferenceView? Reference, DriftThresholds Thresholds, IReadOnlyList<VariableDrift> Features, VariableDrift? Score);

/// <summary>Where a version's reference came from (<c>first_scored_rows</c> or <c>training_data</c>), how many rows, and when.</summary>
internal sealed record DriftReferenceView(string Source, long Rows, DateTime CreatedAt);

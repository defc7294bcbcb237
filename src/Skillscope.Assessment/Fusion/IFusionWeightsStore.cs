using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Fusion;

/// <summary>Fusion weights as versioned rows: each version's document, never changed once written.</summary>
public interface IFusionWeightsStore
{
    /// <summary>The newest version's number and JSON document, or null when none was written yet.</summary>
    Task<(long Version, string Document)?> LatestFusionWeightsAsync(CancellationToken cancellation = default);

    /// <summary>
    /// Writes a version with its audit entry in one transaction and tells other processes; false (nothing
    /// written) when that version exists already — someone else wrote it first.
    /// </summary>
    Task<bool> AddFusionWeightsAsync(long version, string document, AuditEntry audit, CancellationToken cancellation = default);
}

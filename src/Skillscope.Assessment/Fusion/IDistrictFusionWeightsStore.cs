using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Fusion;

/// <summary>Districts' own fusion weights, versioned per district, in the database every replica shares.</summary>
public interface IDistrictFusionWeightsStore
{
    /// <summary>Each district's newest weights document (<see cref="FusionWeights.ToJson"/>), by district id.</summary>
    Task<IReadOnlyDictionary<string, string>> LatestDistrictWeightsAsync(CancellationToken cancellation = default);

    /// <summary>Stores version <paramref name="version"/> of a district's weights with its audit entry; false when that version exists (another writer was first).</summary>
    Task<bool> AddDistrictWeightsAsync(string districtId, long version, string document, AuditEntry audit, CancellationToken cancellation = default);

    /// <summary>Removes a district's weights (it goes back to the installation's), with its audit entry; false when it had none.</summary>
    Task<bool> RemoveDistrictWeightsAsync(string districtId, AuditEntry audit, CancellationToken cancellation = default);
}

using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Settings;

/// <summary>
/// Documents a district's admin sets in place of the installation's (its fusion weights, its settings), versioned
/// per district, in the database every replica shares. A removal is a version too: numbers only go up.
/// </summary>
public interface IDistrictDocuments
{
    /// <summary>Each district's latest version, by district id (its document null when that version removed it).</summary>
    Task<IReadOnlyDictionary<string, DistrictDocument>> LatestAsync(CancellationToken cancellation = default);

    /// <summary>
    /// Stores version <paramref name="version"/> of a district's document — null to remove it — with its audit entry;
    /// false when that version exists (another writer was first).
    /// </summary>
    Task<bool> AddAsync(string districtId, long version, string? document, AuditEntry audit, CancellationToken cancellation = default);
}

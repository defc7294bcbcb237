using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Settings;

/// <summary>
/// Documents a district's admin sets in place of the installation's (its fusion weights, its settings), versioned
/// per district, in the database every replica shares.
/// </summary>
public interface IDistrictDocuments
{
    /// <summary>Each district's newest document, by district id.</summary>
    Task<IReadOnlyDictionary<string, string>> LatestAsync(CancellationToken cancellation = default);

    /// <summary>Stores version <paramref name="version"/> of a district's document with its audit entry; false when that version exists (another writer was first).</summary>
    Task<bool> AddAsync(string districtId, long version, string document, AuditEntry audit, CancellationToken cancellation = default);

    /// <summary>Removes a district's documents (it goes back to the installation's), with its audit entry; false when it had none.</summary>
    Task<bool> RemoveAsync(string districtId, AuditEntry audit, CancellationToken cancellation = default);
}

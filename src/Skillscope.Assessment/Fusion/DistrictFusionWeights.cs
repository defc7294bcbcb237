using System.Collections.Frozen;
using Skillscope.Assessment.Settings;
using Skillscope.Assessment.Skills;
using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Fusion;

/// <summary>
/// The fusion weights a district's admin set for that district, in place of the installation's: read from the
/// database into a snapshot the assessor looks students' districts up in (refreshed by the host every few
/// seconds and at once after a change here), changed as the installation's are — validated, versioned per
/// district, a change over an older version refused — and audited. A district without its own uses the installation's.
/// </summary>
public sealed class DistrictFusionWeights(IDistrictDocuments store, SkillCatalog catalog)
{
    // Swapped whole by one reference write: the assessor reads it on every thread without a lock.
    private volatile FrozenDictionary<string, FusionWeights> _snapshot = FrozenDictionary<string, FusionWeights>.Empty;

    /// <summary>The district's own weights, or null when it uses the installation's.</summary>
    public FusionWeights? For(string? districtId) => districtId is not null && _snapshot.TryGetValue(districtId, out var weights) ? weights : null;

    /// <summary>The version an assessment records: the district's id and its weights' version, or the installation's version.</summary>
    public static string VersionOf(string? districtId, FusionWeights weights, bool own)
    {
        ArgumentNullException.ThrowIfNull(weights);
        string version = weights.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return own ? $"{districtId}:{version}" : version;
    }

    /// <summary>Reads every district's newest weights again.</summary>
    public async Task RefreshAsync(CancellationToken cancellation = default)
    {
        var documents = await store.LatestAsync(cancellation).ConfigureAwait(false);
        var snapshot = new Dictionary<string, FusionWeights>(StringComparer.Ordinal);
        foreach (var (district, document) in documents)
        {
            snapshot[district] = FusionWeights.Parse(document, catalog);
        }

        _snapshot = snapshot.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// Applies changes to a district's weights as its next version — the first one starting from the installation's
    /// weights — validated and audited; refused (<c>version_conflict</c>) unless <paramref name="basedOn"/>, when given,
    /// is the district's version in force (0 while it has none).
    /// </summary>
    /// <exception cref="FusionWeightsException">Invalid weights or an unknown skill (nothing changed), or a conflict.</exception>
    public async Task<FusionWeights> UpdateAsync(string districtId, IReadOnlyDictionary<string, SkillWeights> changes, FusionWeights installation, string actor,
        long? basedOn, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(installation);
        FusionWeights.RequireValid(changes, catalog);
        await RefreshAsync(cancellation).ConfigureAwait(false);
        var current = For(districtId) ?? installation with { Version = 0 };
        var next = current.Next(changes, actor, basedOn);
        if (!await store.AddAsync(districtId, next.Version, next.ToJson(),
            new AuditEntry(0, next.UpdatedAt, actor, "fusion.district.update", $"district:{districtId}", current.Version == 0 ? null : current.ToJson(), next.ToJson()),
            cancellation).ConfigureAwait(false))
        {
            throw current.Conflict();
        }

        await RefreshAsync(cancellation).ConfigureAwait(false);
        return next;
    }

    /// <summary>Sends a district back to the installation's weights; false when it had none of its own.</summary>
    public async Task<bool> RemoveAsync(string districtId, string actor, DateTime now, CancellationToken cancellation = default)
    {
        bool removed = await store.RemoveAsync(districtId, new AuditEntry(0, now, actor, "fusion.district.remove", $"district:{districtId}", For(districtId)?.ToJson(), null),
            cancellation).ConfigureAwait(false);
        await RefreshAsync(cancellation).ConfigureAwait(false);
        return removed;
    }
}

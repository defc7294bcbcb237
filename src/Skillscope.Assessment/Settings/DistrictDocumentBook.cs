using System.Collections.Frozen;
using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Settings;

/// <summary>
/// Every district's own <typeparamref name="T"/> (its fusion weights, its settings), read from the database into a
/// snapshot that assessors look students' districts up in on every thread (refreshed by the host every few seconds,
/// at once on another replica's notice, and after a change here), and changed version by version: a change or a
/// removal is the district's next version, written once with its audit entry, and refused over an older one.
/// </summary>
public abstract class DistrictDocumentBook<T>(IDistrictDocuments store) where T : class
{
    // Swapped whole by one reference write; a refresh that read before a newer one finished never replaces it.
    private volatile Snapshot _snapshot = new(0, FrozenDictionary<string, T>.Empty, FrozenDictionary<string, long>.Empty);
    private readonly Lock _swap = new();
    private long _reads;

    /// <summary>The district's own document, or null when it uses the installation's.</summary>
    public T? Own(string? districtId) => districtId is not null && _snapshot.Own.TryGetValue(districtId, out var own) ? own : null;

    /// <summary>The district's latest version, a removal included (0 while it never set one): what a change is based on.</summary>
    public long VersionOf(string districtId) => _snapshot.Versions.GetValueOrDefault(districtId);

    /// <summary>The district's own document and latest version from one snapshot (two reads could straddle a refresh).</summary>
    protected (T? Own, long Version) Latest(string districtId)
    {
        var snapshot = _snapshot;
        return (snapshot.Own.GetValueOrDefault(districtId), snapshot.Versions.GetValueOrDefault(districtId));
    }

    /// <summary>Every district with a document of its own.</summary>
    protected IReadOnlyDictionary<string, T> AllOwn => _snapshot.Own;

    /// <summary>Reads every district's latest version again.</summary>
    public async Task RefreshAsync(CancellationToken cancellation = default)
    {
        long read = Interlocked.Increment(ref _reads);
        var latest = await store.LatestAsync(cancellation).ConfigureAwait(false);
        var own = new Dictionary<string, T>(StringComparer.Ordinal);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (district, document) in latest)
        {
            versions[district] = document.Version;
            if (document.Document is { Length: > 0 } text)
            {
                own[district] = Parse(district, text);
            }
        }

        var next = new Snapshot(read, own.ToFrozenDictionary(StringComparer.Ordinal), versions.ToFrozenDictionary(StringComparer.Ordinal));
        lock (_swap)
        {
            if (next.Read > _snapshot.Read)
            {
                _snapshot = next;
                Refreshed();
            }
        }
    }

    /// <summary>
    /// Sends a district back to the installation's as its next version (audited): only over <paramref name="basedOn"/>, when
    /// given, as a change is.
    /// </summary>
    public async Task<DistrictRemoval> RemoveAsync(string districtId, string actor, DateTime now, long? basedOn = null, CancellationToken cancellation = default)
    {
        await RefreshAsync(cancellation).ConfigureAwait(false);
        var (current, version) = Latest(districtId);
        if (basedOn is { } based && based != version)
        {
            return DistrictRemoval.Conflict;
        }

        if (current is null)
        {
            return DistrictRemoval.NoneOfItsOwn;
        }

        // The version read with the document: a change another replica made meanwhile takes it first, and this one is refused.
        bool removed = await store.AddAsync(districtId, version + 1, null,
            new AuditEntry(0, now, actor, RemoveAction, $"district:{districtId}", ToJson(current), null), cancellation).ConfigureAwait(false);
        await RefreshAsync(cancellation).ConfigureAwait(false);
        return removed ? DistrictRemoval.Removed : DistrictRemoval.Conflict;
    }

    /// <summary>The audit action of a change and of a removal, e.g. <c>settings.district.update</c>.</summary>
    protected abstract string UpdateAction { get; }

    protected abstract string RemoveAction { get; }

    protected abstract T Parse(string districtId, string document);

    protected abstract string ToJson(T document);

    /// <summary>Called under the swap, after a newer snapshot is in place: derived lookups are rebuilt here.</summary>
    protected virtual void Refreshed()
    {
    }

    /// <summary>
    /// Stores <paramref name="next"/> as the district's version <paramref name="version"/>, with <paramref name="before"/> (the
    /// document it replaces, read with the version) in its audit entry; false when another change took that version first.
    /// </summary>
    protected async Task<bool> AddAsync(string districtId, T? before, T next, long version, DateTime now, string actor, CancellationToken cancellation)
    {
        bool added = await store.AddAsync(districtId, version, ToJson(next),
            new AuditEntry(0, now, actor, UpdateAction, $"district:{districtId}", before is null ? null : ToJson(before), ToJson(next)), cancellation).ConfigureAwait(false);
        await RefreshAsync(cancellation).ConfigureAwait(false);
        return added;
    }

    private sealed record Snapshot(long Read, FrozenDictionary<string, T> Own, FrozenDictionary<string, long> Versions);
}

using Skillscope.Assessment.Skills;
using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Fusion;

/// <summary>
/// The fusion weights in force, kept as versioned rows in a database several replicas share. Each new
/// version is a row written once; the version number is the row's key, so two replicas saving at once
/// cannot both win — the second is told the weights changed. Every process re-reads the newest row when
/// told of a change (<see cref="ReloadAsync"/>) and on a short poll, which catches what a lost
/// notification missed.
/// </summary>
public sealed class FusionWeightsTable : IFusionWeightsSource
{
    /// <summary>What <see cref="Location"/> says.</summary>
    public const string Description = "the database (table fusion_weights)";

    private readonly IFusionWeightsStore _store;
    private readonly SkillCatalog _catalog;
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly Timer _poll;
    private FusionWeights _current;
    private string? _reloadError;
    private int _polling;

    private FusionWeightsTable(IFusionWeightsStore store, SkillCatalog catalog, FusionWeights current, TimeSpan pollEvery)
    {
        _store = store;
        _catalog = catalog;
        _current = current;
        _poll = new Timer(_ => _ = PollAsync(), null, pollEvery, pollEvery);
    }

    public FusionWeights Current => Volatile.Read(ref _current);

    public string? ReloadError => Volatile.Read(ref _reloadError);

    public string Location => Description;

    /// <summary>
    /// Opens the newest version. A database without any is given <paramref name="initial"/> as its first
    /// version (a single machine's file when moving to a shared database, else the defaults).
    /// </summary>
    public static async Task<FusionWeightsTable> OpenAsync(IFusionWeightsStore store, SkillCatalog catalog, Func<FusionWeights> initial, TimeSpan? pollEvery = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(initial);
        if (await store.LatestFusionWeightsAsync(cancellation).ConfigureAwait(false) is not { } latest)
        {
            // Asked for only here: a database that has weights does not depend on this machine's file.
            var first = initial();
            // Several replicas starting on an empty database race here; the key lets one of them write it.
            await store.AddFusionWeightsAsync(first.Version, first.ToJson(),
                new AuditEntry(0, DateTime.UtcNow, "system", "fusion.initialise", "fusion_weights", null, first.ToJson()), cancellation).ConfigureAwait(false);
            latest = await store.LatestFusionWeightsAsync(cancellation).ConfigureAwait(false)
                ?? throw new FusionWeightsException("weights_missing", "the database holds no fusion weights right after they were written");
        }

        var weights = FusionWeights.Parse(latest.Document, catalog);
        return new FusionWeightsTable(store, catalog, weights, pollEvery ?? TimeSpan.FromSeconds(2));
    }

    public async Task<FusionWeights> ReloadAsync(string actor, CancellationToken cancellation = default)
    {
        await _changes.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            return await ReadLatestAsync(cancellation).ConfigureAwait(false);
        }
        finally
        {
            _changes.Release();
        }
    }

    public async Task<FusionWeights> UpdateAsync(IReadOnlyDictionary<string, SkillWeights> changes, string actor, long? basedOn = null, CancellationToken cancellation = default)
    {
        FusionWeights.RequireValid(changes, _catalog);
        await _changes.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            // Built on the newest version in the database, not on what this process last saw.
            var current = await ReadLatestAsync(cancellation).ConfigureAwait(false);
            var next = current.Next(changes, actor, basedOn);
            string json = next.ToJson();
            var audit = new AuditEntry(0, next.UpdatedAt, actor, "fusion.update", "fusion_weights", current.ToJson(), json);
            if (!await _store.AddFusionWeightsAsync(next.Version, json, audit, cancellation).ConfigureAwait(false))
            {
                throw (await ReadLatestAsync(cancellation).ConfigureAwait(false)).Conflict();
            }

            Volatile.Write(ref _current, next);
            return next;
        }
        finally
        {
            _changes.Release();
        }
    }

    public void Dispose()
    {
        _poll.Dispose();
        _changes.Dispose();
    }

    /// <summary>The newest row swapped in (when it parses); throws, keeping the weights in force, when it does not.</summary>
    private async Task<FusionWeights> ReadLatestAsync(CancellationToken cancellation)
    {
        var current = Current;
        if (await _store.LatestFusionWeightsAsync(cancellation).ConfigureAwait(false) is not { } latest || latest.Version == current.Version)
        {
            return current;
        }

        FusionWeights weights;
        try
        {
            weights = FusionWeights.Parse(latest.Document, _catalog);
        }
        catch (FusionWeightsException exception)
        {
            Volatile.Write(ref _reloadError, $"version {latest.Version}: {exception.Message}");
            throw;
        }

        Volatile.Write(ref _reloadError, null);
        Volatile.Write(ref _current, weights);
        return weights;
    }

    private async Task PollAsync()
    {
        // One look at a time: while the database is slow, ticks that find the last look still waiting are skipped.
        if (Interlocked.Exchange(ref _polling, 1) == 1)
        {
            return;
        }

        try
        {
            await ReloadAsync("poll").ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is FusionWeightsException or ObjectDisposedException or System.Data.Common.DbException or InvalidOperationException)
        {
            // An invalid row is kept in ReloadError and shown; a database that cannot be reached now is tried
            // again at the next poll. The weights in force stay either way.
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }
}

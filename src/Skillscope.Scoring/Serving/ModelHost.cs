using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Registry;

namespace Skillscope.Scoring.Serving;

/// <summary>
/// Keeps the served <see cref="ModelCatalog"/> in step with the registry. A refresh loads and verifies
/// every version an alias or split points at, then publishes the new catalog with one reference swap:
/// requests in flight finish on the catalog they started with. A version that fails to load is
/// reported and its alias keeps serving what it served before.
/// </summary>
/// <param name="store">The registry.</param>
/// <param name="packageCacheDirectory">Where this machine keeps unpacked copies of packages (none: loaded from the database each time).</param>
/// <param name="meters">The application's meter factory, so its meter belongs to that application alone (none: a meter of its own).</param>
/// <param name="monitor">What counts every served version's scored rows (none: not monitored).</param>
public sealed class ModelHost(IRegistryStore store, string? packageCacheDirectory = null, IMeterFactory? meters = null, ModelMonitor? monitor = null) : IDisposable
{
    /// <summary>The meter this host reports package loads on (<c>skillscope.model.loads</c>, by result).</summary>
    public const string MeterName = "Skillscope.Scoring";

    private readonly Meter _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
    private readonly PackageCache _packages = new(store, packageCacheDirectory);

    /// <summary>This host's own meter (several hosts may share a process, as in tests).</summary>
    public Meter Meter => _meter;
    private readonly ConcurrentDictionary<(string Name, string Version, string Sha256), LoadedModel> _loaded = new();
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private Counter<long>? _loads;
    private ModelCatalog _catalog = ModelCatalog.Empty;
    private bool _ready;

    /// <summary>What requests score against now.</summary>
    public ModelCatalog Catalog => Volatile.Read(ref _catalog);

    /// <summary>True once the first refresh has loaded (and warmed) every served version it could.</summary>
    public bool Ready => Volatile.Read(ref _ready);

    /// <summary>Reloads from the registry if its revision moved (or always, when <paramref name="force"/>).</summary>
    public async Task<ModelCatalog> RefreshAsync(bool force = false, CancellationToken cancellation = default)
    {
        await _refreshing.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            long revision = await store.GetRevisionAsync(cancellation).ConfigureAwait(false);
            var current = Catalog;
            if (!force && Ready && revision == current.Revision)
            {
                return current;
            }

            var versions = (await store.ListVersionsAsync(null, cancellation).ConfigureAwait(false))
                .ToDictionary(v => (v.Name, v.Version));
            var aliases = await store.ListAliasesAsync(null, cancellation).ConfigureAwait(false);
            var splits = (await store.ListSplitsAsync(cancellation).ConfigureAwait(false)).ToDictionary(s => s.Name, StringComparer.Ordinal);
            var failures = new List<LoadFailure>();
            var models = new Dictionary<string, ServedModel>(StringComparer.Ordinal);
            foreach (var name in aliases.Select(a => a.Name).Concat(splits.Keys).Distinct(StringComparer.Ordinal))
            {
                current.Models.TryGetValue(name, out var before);
                var served = new Dictionary<string, LoadedModel>(StringComparer.Ordinal);
                var byVersion = new Dictionary<string, LoadedModel>(StringComparer.Ordinal);
                foreach (var alias in aliases.Where(a => a.Name == name))
                {
                    var loaded = await LoadAsync(versions.GetValueOrDefault((name, alias.Version)), name, alias.Version, failures, cancellation).ConfigureAwait(false)
                        ?? before?.Aliases.GetValueOrDefault(alias.Alias);
                    if (loaded is not null)
                    {
                        served[alias.Alias] = loaded;
                        byVersion[loaded.Version] = loaded;
                    }
                }

                var split = splits.GetValueOrDefault(name);
                if (split is not null)
                {
                    foreach (var share in split.Shares)
                    {
                        if (await LoadAsync(versions.GetValueOrDefault((name, share.Version)), name, share.Version, failures, cancellation).ConfigureAwait(false) is { } loaded)
                        {
                            byVersion[loaded.Version] = loaded;
                        }
                        else
                        {
                            // A split that cannot be honoured is not applied: the previous one (or production) serves.
                            split = before?.Split;
                            break;
                        }
                    }
                }

                models[name] = new ServedModel(name, served.ToFrozenDictionary(StringComparer.Ordinal), split, byVersion.ToFrozenDictionary(StringComparer.Ordinal));
            }

            foreach (var shadow in await store.ListShadowsAsync(cancellation).ConfigureAwait(false))
            {
                if (models.TryGetValue(shadow.Name, out var model)
                    && await LoadAsync(versions.GetValueOrDefault((shadow.Name, shadow.Version)), shadow.Name, shadow.Version, failures, cancellation).ConfigureAwait(false) is { } candidate)
                {
                    models[shadow.Name] = model with { Shadow = new ShadowTarget(candidate, shadow.Percent, shadow.Cuts) };
                }
            }

            var catalog = new ModelCatalog(revision, models.ToFrozenDictionary(StringComparer.Ordinal), failures);
            monitor?.Shadows.Use(catalog);
            Volatile.Write(ref _catalog, catalog);
            Volatile.Write(ref _ready, true);
            return catalog;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void Dispose()
    {
        _refreshing.Dispose();
        _meter.Dispose();
    }

    /// <summary>Loads any registered version on request (for explicit <c>version</c> selection), cached.</summary>
    public async Task<LoadedModel?> LoadVersionAsync(string name, string version, CancellationToken cancellation = default)
    {
        var record = await store.GetVersionAsync(name, version, cancellation).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }

        var failures = new List<LoadFailure>();
        return await LoadAsync(record, name, version, failures, cancellation).ConfigureAwait(false) ?? throw new PackageException(failures[0].Code, failures[0].Message);
    }

    private async Task<LoadedModel?> LoadAsync(ModelVersionRecord? record, string name, string version, List<LoadFailure> failures, CancellationToken cancellation)
    {
        if (record is null)
        {
            failures.Add(new LoadFailure(name, version, "version_not_found", $"{name} {version} is not registered"));
            return null;
        }

        if (_loaded.TryGetValue((name, version, record.Sha256), out var cached))
        {
            return cached;
        }

        try
        {
            var package = await _packages.LoadAsync(record, cancellation).ConfigureAwait(false);
            var loaded = new LoadedModel(record, package)
            {
                Profile = monitor?.RecorderFor(record.Name, record.Version, [.. package.Schema.Features.Select(f => f.Name)]),
                Shadows = monitor?.Shadows,
                Usage = monitor?.Versions,
            };
            CountLoad("ok");
            return _loaded.GetOrAdd((name, version, record.Sha256), loaded);
        }
        catch (PackageException exception)
        {
            CountLoad("failed");
            failures.Add(new LoadFailure(name, version, exception.Code, exception.Message));
            return null;
        }
        catch (IOException exception)
        {
            CountLoad("failed");
            failures.Add(new LoadFailure(name, version, "package_unreadable", exception.Message));
            return null;
        }
    }

    private void CountLoad(string result)
    {
        _loads ??= _meter.CreateCounter<long>("skillscope.model.loads", description: "Model packages loaded and verified, by result");
        _loads.Add(1, new KeyValuePair<string, object?>("result", result));
    }
}

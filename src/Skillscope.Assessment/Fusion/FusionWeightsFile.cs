using System.Text;
using Skillscope.Assessment.Skills;
using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Fusion;

/// <summary>
/// The fusion weights in force, kept in a JSON file: created with the defaults when absent, re-read
/// within about a second when someone edits it (an invalid edit is reported and the old weights stay),
/// and updated through <see cref="UpdateAsync"/> by writing a new version atomically. Every change is audited.
/// </summary>
public sealed class FusionWeightsFile : IFusionWeightsSource
{
    private readonly string _path;
    private readonly SkillCatalog _catalog;
    private readonly Func<AuditEntry, CancellationToken, Task> _audit;
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly Timer _poll;
    private FusionWeights _current;
    private string _currentJson;
    private (DateTime Written, long Length) _seen;
    private string? _reloadError;

    private FusionWeightsFile(string path, SkillCatalog catalog, Func<AuditEntry, CancellationToken, Task> audit, FusionWeights current, TimeSpan pollEvery)
    {
        _path = path;
        _catalog = catalog;
        _audit = audit;
        _current = current;
        _currentJson = current.ToJson();
        _seen = Stamp();
        _poll = new Timer(_ => _ = PollAsync(), null, pollEvery, pollEvery);
    }

    /// <summary>Weights in force now.</summary>
    public FusionWeights Current => Volatile.Read(ref _current);

    /// <summary>Why the file's last edit was not applied, while it still is not; null when the file is what is in force.</summary>
    public string? ReloadError => Volatile.Read(ref _reloadError);

    public string Path => _path;

    public string Location => _path;

    /// <summary>Opens the file (writing the defaults first when it does not exist); throws <see cref="FusionWeightsException"/> when it is invalid.</summary>
    public static FusionWeightsFile Open(string path, SkillCatalog catalog, Func<AuditEntry, CancellationToken, Task> audit, TimeSpan? pollEvery = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(audit);
        if (!File.Exists(path))
        {
            WriteAtomically(path, FusionWeights.Default(catalog).ToJson());
        }

        var weights = FusionWeights.Parse(File.ReadAllText(path), catalog);
        return new FusionWeightsFile(path, catalog, audit, weights, pollEvery ?? TimeSpan.FromSeconds(1));
    }

    /// <summary>Re-reads the file now; throws (keeping the weights in force) when it is invalid.</summary>
    public async Task<FusionWeights> ReloadAsync(string actor, CancellationToken cancellation = default)
    {
        await _changes.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            _seen = Stamp();
            string text;
            try
            {
                text = await File.ReadAllTextAsync(_path, cancellation).ConfigureAwait(false);
            }
            catch (IOException exception)
            {
                throw new FusionWeightsException("weights_file_unreadable", $"{_path} cannot be read: {exception.Message}");
            }

            FusionWeights weights;
            try
            {
                weights = FusionWeights.Parse(text, _catalog);
            }
            catch (FusionWeightsException exception)
            {
                Volatile.Write(ref _reloadError, exception.Message);
                throw;
            }

            Volatile.Write(ref _reloadError, null);
            string json = weights.ToJson();
            if (json != _currentJson)
            {
                try
                {
                    await _audit(new AuditEntry(0, DateTime.UtcNow, actor, "fusion.reload", "fusion_weights", _currentJson, json), cancellation).ConfigureAwait(false);
                }
                catch
                {
                    // Not applied without its audit entry; forget the file's stamp so the next poll tries again.
                    _seen = default;
                    throw;
                }

                Swap(weights, json);
            }

            return weights;
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>
    /// Applies new weights for some skills as the next version: validated first, then written to the
    /// file (temporary file and rename), swapped in and audited — or, when anything is invalid or
    /// <paramref name="basedOn"/> is not the version in force, nothing.
    /// </summary>
    public async Task<FusionWeights> UpdateAsync(IReadOnlyDictionary<string, SkillWeights> changes, string actor, long? basedOn = null, CancellationToken cancellation = default)
    {
        FusionWeights.RequireValid(changes, _catalog);
        await _changes.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var next = Current.Next(changes, actor, basedOn);
            string json = next.ToJson();
            WriteAtomically(_path, json);
            _seen = Stamp();
            await _audit(new AuditEntry(0, next.UpdatedAt, actor, "fusion.update", "fusion_weights", _currentJson, json), cancellation).ConfigureAwait(false);
            Swap(next, json);
            Volatile.Write(ref _reloadError, null);
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

    private async Task PollAsync()
    {
        try
        {
            if (Stamp() != _seen)
            {
                await ReloadAsync("file").ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is FusionWeightsException or IOException or ObjectDisposedException or System.Data.Common.DbException)
        {
            // An invalid edit is kept in ReloadError and shown by the API; the weights in force stay. A failed
            // audit write leaves the file unapplied too, and the next poll tries again.
        }
    }

    private void Swap(FusionWeights weights, string json)
    {
        _currentJson = json;
        Volatile.Write(ref _current, weights);
    }

    private (DateTime, long) Stamp()
    {
        var info = new FileInfo(_path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    private static void WriteAtomically(string path, string text)
    {
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, text, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }
}

using System.Collections.Concurrent;
using Skillscope.Scoring.Registry;

namespace Skillscope.Server.Security;

/// <summary>
/// API keys this replica verified against the database lately, so that scoring goes on through a short
/// database outage: while the database cannot be asked, a key the database confirmed within
/// <see cref="Window"/> is taken as it was (the window does not move while the database is away). A key changed meanwhile (revoked, rebound) is seen as soon as the database answers
/// again. Bounded: beyond <see cref="Capacity"/> keys the oldest verifications are forgotten.
/// </summary>
internal sealed class KnownApiKeys(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (ApiKeyRecord Key, DateTimeOffset VerifiedAt)> _keys = new(StringComparer.Ordinal);

    /// <summary>What the database answered for <paramref name="hash"/>: the key (remembered from now), or none (forgotten).</summary>
    public void Answered(string hash, ApiKeyRecord? key)
    {
        if (key is null)
        {
            _keys.TryRemove(hash, out _);
            return;
        }

        if (_keys.Count >= Capacity && !_keys.ContainsKey(hash))
        {
            // Rare (more keys in use than the bound): drop the stalest tenth rather than grow.
            foreach (var stale in _keys.OrderBy(k => k.Value.VerifiedAt).Take(Capacity / 10).Select(k => k.Key).ToList())
            {
                _keys.TryRemove(stale, out _);
            }
        }

        _keys[hash] = (key, time.GetUtcNow());
    }

    /// <summary>The key as last verified, if that was within the window.</summary>
    public ApiKeyRecord? Recent(string hash) =>
        _keys.TryGetValue(hash, out var known) && time.GetUtcNow() - known.VerifiedAt <= Window ? known.Key : null;

    /// <summary>Forgets every verification (keys changed somewhere in the cluster).</summary>
    public void Clear() => _keys.Clear();
}

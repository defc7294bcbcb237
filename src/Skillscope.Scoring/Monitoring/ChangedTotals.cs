namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// One process's running totals per time bucket (an hour or a minute, with what it counts for), and which
/// of them changed since they were last taken: what every monitoring counter keeps between writes. A bucket
/// taken (written) is forgotten once a later bucket has begun, and never started again from nothing: what
/// comes in later counts in the floor bucket at the earliest. Not thread-safe: its owner holds a lock.
/// </summary>
internal sealed class ChangedTotals<TKey, TValue>(Func<TKey, DateTime> startOf)
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _totals = [];
    private readonly HashSet<TKey> _changed = [];
    private DateTime _floor = DateTime.MinValue;

    /// <summary>The bucket a count made now goes to: <paramref name="bucket"/>, or the floor when that was forgotten already.</summary>
    public DateTime NotBeforeFloor(DateTime bucket) => bucket > _floor ? bucket : _floor;

    /// <summary>The totals of <paramref name="key"/>, made by <paramref name="create"/> when there are none, marked changed.</summary>
    public TValue Change(TKey key, Func<TValue> create)
    {
        if (!_totals.TryGetValue(key, out var totals))
        {
            _totals[key] = totals = create();
        }

        _changed.Add(key);
        return totals;
    }

    /// <summary>Replaces the totals of <paramref name="key"/>, marked changed.</summary>
    public void Set(TKey key, TValue totals)
    {
        _totals[key] = totals;
        _changed.Add(key);
    }

    public TValue? GetValueOrDefault(TKey key) => _totals.GetValueOrDefault(key);

    /// <summary>Copies (by <paramref name="copy"/>) of the totals that changed since the last call.</summary>
    public List<TCopy> TakeChanged<TCopy>(Func<TKey, TValue, TCopy> copy)
    {
        var changed = new List<TCopy>(_changed.Count);
        foreach (var key in _changed)
        {
            changed.Add(copy(key, _totals[key]));
        }

        _changed.Clear();
        return changed;
    }

    /// <summary>Marks <paramref name="key"/> changed again (its totals were taken but could not be written), so it is taken next time and not forgotten.</summary>
    public void Unwritten(TKey key)
    {
        if (_totals.ContainsKey(key))
        {
            _changed.Add(key);
        }
    }

    /// <summary>Drops the buckets that started before <paramref name="limit"/> and have not changed since they were taken; raises the floor to it.</summary>
    public void Forget(DateTime limit)
    {
        _floor = limit > _floor ? limit : _floor;
        foreach (var key in _totals.Keys.ToArray())
        {
            if (startOf(key) < limit && !_changed.Contains(key))
            {
                _totals.Remove(key);
            }
        }
    }
}

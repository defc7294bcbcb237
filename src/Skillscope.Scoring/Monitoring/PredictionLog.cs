namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// The score each entity (a lead, a customer) last got from each model, and from which version, kept so that
/// outcomes reported later (did the lead convert?) can be matched to the version that scored it. Held in
/// memory and written by <see cref="ModelMonitor"/> with the counts; past <see cref="MaxPending"/> unwritten
/// entries (the database is away) further ones are dropped and counted, so scoring never waits.
/// </summary>
public sealed class PredictionLog(TimeProvider? time = null)
{
    /// <summary>Entries held while the database is away before new ones are dropped.</summary>
    public const int MaxPending = 500_000;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private Dictionary<(string Model, string Entity), LoggedPrediction> _pending = [];
    private long _dropped;

    /// <summary>Entries dropped because too many were waiting to be written.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Notes the scores a request's rows got from <paramref name="model"/> now (a later score of an entity replaces it): one lock and one clock read per request.</summary>
    public void Add(string model, IReadOnlyList<(string EntityId, string Version, float Score)> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var at = _time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            foreach (var (entityId, version, score) in scores)
            {
                if (_pending.Count >= MaxPending && !_pending.ContainsKey((model, entityId)))
                {
                    _dropped++;
                    continue;
                }

                _pending[(model, entityId)] = new LoggedPrediction(model, entityId, version, score, at);
            }
        }
    }

    /// <summary>Takes every entry noted since the last call (to write; on failure, <see cref="Restore"/> them).</summary>
    public IReadOnlyList<LoggedPrediction> Take()
    {
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return [];
            }

            var taken = _pending.Values.ToArray();
            _pending = [];
            return taken;
        }
    }

    /// <summary>Puts back entries that could not be written, unless a newer one for the same entity came meanwhile.</summary>
    public void Restore(IReadOnlyList<LoggedPrediction> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                _pending.TryAdd((entry.Model, entry.EntityId), entry);
            }
        }
    }
}

/// <summary>The score a version gave an entity, and when.</summary>
public sealed record LoggedPrediction(string Model, string EntityId, string Version, float Score, DateTime At);

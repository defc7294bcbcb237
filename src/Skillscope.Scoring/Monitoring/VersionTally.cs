using System.Diagnostics;

namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// Counts, per model version and minute, the rows every scoring path scores and the rows of batches that
/// failed, with the time spent; <see cref="ModelMonitor"/> writes the minutes that changed. A lock and a
/// few additions per batch, not per row.
/// </summary>
public sealed class VersionTally(TimeProvider? time = null)
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<(string Model, string Version, DateTime Minute), (long Rows, long Failed, long Ticks)> _minutes = [];
    private readonly HashSet<(string Model, string Version, DateTime Minute)> _changed = [];
    private DateTime _floorMinute = DateTime.MinValue;

    /// <summary>Counts a batch of <paramref name="rows"/> rows: scored in <paramref name="elapsedTicks"/> (stopwatch ticks), or failed.</summary>
    public void Record(string model, string version, int rows, bool failed, long elapsedTicks)
    {
        lock (_gate)
        {
            var minute = RequestCounts.MinuteOf(_time.GetUtcNow().UtcDateTime);
            var key = (model, version, minute > _floorMinute ? minute : _floorMinute);
            var counts = _minutes.GetValueOrDefault(key);
            _minutes[key] = failed ? (counts.Rows, counts.Failed + rows, counts.Ticks) : (counts.Rows + rows, counts.Failed, counts.Ticks + elapsedTicks);
            _changed.Add(key);
        }
    }

    /// <summary>Copies of the minutes that changed since the last call.</summary>
    public IReadOnlyList<VersionCounts> TakeChanged()
    {
        lock (_gate)
        {
            var changed = new List<VersionCounts>(_changed.Count);
            foreach (var key in _changed)
            {
                var (rows, failed, ticks) = _minutes[key];
                changed.Add(new VersionCounts(key.Model, key.Version, key.Minute, rows, failed, (long)(ticks * (1_000_000_000.0 / Stopwatch.Frequency))));
            }

            _changed.Clear();
            return changed;
        }
    }

    /// <summary>Drops the written minutes before <paramref name="before"/>'s.</summary>
    public void Forget(DateTime before)
    {
        var limit = RequestCounts.MinuteOf(before);
        lock (_gate)
        {
            _floorMinute = limit > _floorMinute ? limit : _floorMinute;
            foreach (var key in _minutes.Keys.ToArray())
            {
                if (key.Minute < limit && !_changed.Contains(key))
                {
                    _minutes.Remove(key);
                }
            }
        }
    }
}

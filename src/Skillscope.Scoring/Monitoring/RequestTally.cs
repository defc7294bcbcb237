namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// Counts this process's answered requests per minute in memory (how many, how many failed, how long they
/// took); <see cref="ModelMonitor"/> writes the minutes that changed, so every replica's counts are summed
/// for error-rate and latency alerts. Recording is a lock and a few increments.
/// </summary>
public sealed class RequestTally(TimeProvider? time = null)
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<DateTime, (long Requests, long Failures, long[] Latency)> _minutes = [];
    private readonly HashSet<DateTime> _changed = [];
    private DateTime _floorMinute = DateTime.MinValue;

    /// <summary>Counts one answered request that took <paramref name="elapsed"/>; <paramref name="failed"/> when the server was at fault.</summary>
    public void Record(TimeSpan elapsed, bool failed)
    {
        int slot = SlotOf(elapsed.TotalMilliseconds);
        lock (_gate)
        {
            var minute = RequestCounts.MinuteOf(_time.GetUtcNow().UtcDateTime);
            minute = minute > _floorMinute ? minute : _floorMinute;
            if (!_minutes.TryGetValue(minute, out var counts))
            {
                counts = (0, 0, new long[RequestCounts.LatencySlots]);
            }

            counts.Latency[slot]++;
            _minutes[minute] = (counts.Requests + 1, counts.Failures + (failed ? 1 : 0), counts.Latency);
            _changed.Add(minute);
        }
    }

    /// <summary>Copies of the minutes that changed since the last call, oldest first.</summary>
    public IReadOnlyList<RequestCounts> TakeChanged()
    {
        lock (_gate)
        {
            var minutes = new List<RequestCounts>(_changed.Count);
            foreach (var minute in _changed)
            {
                var (requests, failures, latency) = _minutes[minute];
                minutes.Add(new RequestCounts(minute, requests, failures, (long[])latency.Clone()));
            }

            _changed.Clear();
            minutes.Sort((a, b) => a.MinuteStart.CompareTo(b.MinuteStart));
            return minutes;
        }
    }

    /// <summary>
    /// Drops the written minutes before <paramref name="before"/>'s: later requests count in that minute at
    /// the earliest, so a written minute is never started again from nothing.
    /// </summary>
    public void Forget(DateTime before)
    {
        var limit = RequestCounts.MinuteOf(before);
        lock (_gate)
        {
            _floorMinute = limit > _floorMinute ? limit : _floorMinute;
            foreach (var minute in _minutes.Keys.ToArray())
            {
                if (minute < limit && !_changed.Contains(minute))
                {
                    _minutes.Remove(minute);
                }
            }
        }
    }

    private static int SlotOf(double milliseconds)
    {
        var bounds = RequestCounts.LatencyBoundsMs;
        for (int i = 0; i < bounds.Count; i++)
        {
            if (milliseconds <= bounds[i])
            {
                return i;
            }
        }

        return bounds.Count;
    }
}

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
    private readonly ChangedTotals<DateTime, (long Requests, long Failures, long[] Latency)> _minutes = new(minute => minute);

    /// <summary>Counts one answered request that took <paramref name="elapsed"/>; <paramref name="failed"/> when the server was at fault.</summary>
    public void Record(TimeSpan elapsed, bool failed)
    {
        int slot = SlotOf(elapsed.TotalMilliseconds);
        lock (_gate)
        {
            var minute = _minutes.NotBeforeFloor(RequestCounts.MinuteOf(_time.GetUtcNow().UtcDateTime));
            var (requests, failures, latency) = _minutes.Change(minute, static () => (0, 0, new long[RequestCounts.LatencySlots]));
            latency[slot]++;
            _minutes.Set(minute, (requests + 1, failures + (failed ? 1 : 0), latency));
        }
    }

    /// <summary>Copies of the minutes that changed since the last call, oldest first.</summary>
    public IReadOnlyList<RequestCounts> TakeChanged()
    {
        lock (_gate)
        {
            var minutes = _minutes.TakeChanged((minute, totals) => new RequestCounts(minute, totals.Requests, totals.Failures, (long[])totals.Latency.Clone()));
            minutes.Sort((a, b) => a.MinuteStart.CompareTo(b.MinuteStart));
            return minutes;
        }
    }

    /// <summary>Takes back minutes that were taken but could not be written: they are taken again next time.</summary>
    public void Unwritten(IReadOnlyList<RequestCounts> minutes)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        lock (_gate)
        {
            foreach (var minute in minutes)
            {
                _minutes.Unwritten(minute.MinuteStart);
            }
        }
    }

    /// <summary>Drops the written minutes before <paramref name="before"/>'s.</summary>
    public void Forget(DateTime before)
    {
        lock (_gate)
        {
            _minutes.Forget(RequestCounts.MinuteOf(before));
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

using System.Diagnostics;

namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// Counts, per model version and minute, the rows every scoring path scores and the rows of batches that
/// failed, the batches (calls) and failed ones, with the time spent; <see cref="ModelMonitor"/> writes the minutes that changed. A lock and a
/// few additions per batch, not per row.
/// </summary>
public sealed class VersionTally(TimeProvider? time = null)
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ChangedTotals<(string Model, string Version, DateTime Minute), (long Rows, long Failed, long Calls, long FailedCalls, long Ticks)> _minutes = new(key => key.Minute);

    /// <summary>Counts a call scoring a batch of <paramref name="rows"/> rows: scored in <paramref name="elapsedTicks"/> (stopwatch ticks), or failed.</summary>
    public void Record(string model, string version, int rows, bool failed, long elapsedTicks)
    {
        lock (_gate)
        {
            var key = (model, version, _minutes.NotBeforeFloor(RequestCounts.MinuteOf(_time.GetUtcNow().UtcDateTime)));
            var counts = _minutes.GetValueOrDefault(key);
            _minutes.Set(key, failed
                ? (counts.Rows, counts.Failed + rows, counts.Calls + 1, counts.FailedCalls + 1, counts.Ticks)
                : (counts.Rows + rows, counts.Failed, counts.Calls + 1, counts.FailedCalls, counts.Ticks + elapsedTicks));
        }
    }

    /// <summary>Copies of the minutes that changed since the last call.</summary>
    public IReadOnlyList<VersionCounts> TakeChanged()
    {
        lock (_gate)
        {
            return _minutes.TakeChanged((key, counts) =>
                new VersionCounts(key.Model, key.Version, key.Minute, counts.Rows, counts.Failed, counts.Calls, counts.FailedCalls, (long)(counts.Ticks * (1_000_000_000.0 / Stopwatch.Frequency))));
        }
    }

    /// <summary>Takes back minutes that were taken but could not be written: they are taken again next time.</summary>
    public void Unwritten(IReadOnlyList<VersionCounts> minutes)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        lock (_gate)
        {
            foreach (var minute in minutes)
            {
                _minutes.Unwritten((minute.Model, minute.Version, minute.MinuteStart));
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
}

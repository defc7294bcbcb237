namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// A version's use over a window, every replica summed: rows scored and rows of failed calls, calls and
/// failed calls, and model time. Its failure rate is per call, so one failing call of many rows weighs as
/// one failure.
/// </summary>
public readonly record struct VersionUsage(long Rows, long FailedRows, long Calls, long FailedCalls, long Nanoseconds)
{
    /// <summary>The share of calls that failed, or null before the first call.</summary>
    public double? FailureRate => Calls > 0 ? (double)FailedCalls / Calls : null;

    /// <summary>This use with <paramref name="minute"/>'s added.</summary>
    public VersionUsage Plus(VersionCounts minute)
    {
        ArgumentNullException.ThrowIfNull(minute);
        return new(Rows + minute.Rows, FailedRows + minute.FailedRows, Calls + minute.Calls, FailedCalls + minute.FailedCalls, Nanoseconds + minute.Nanoseconds);
    }
}

namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// What one process's scoring of one model version did in one minute, on every scoring path: rows scored,
/// rows whose batch failed, scoring calls (one per batch: a request, or a chunk of a job) and calls that
/// failed, and the model time spent: what a replica writes, and what a canary guard and the per-version
/// metrics sum.
/// </summary>
public sealed record VersionCounts(string Model, string Version, DateTime MinuteStart, long Rows, long FailedRows, long Calls, long FailedCalls, long Nanoseconds);

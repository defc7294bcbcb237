namespace Skillscope.Assessment.Assessing;

/// <summary>
/// A batch assessment run: <c>full</c> (every student) or <c>incremental</c> (students with evidence
/// newer than their last assessment). Students are taken in id order; <see cref="Cursor"/> is the last
/// id whose result is committed, so a run resumes after a crash without gaps or duplicates.
/// </summary>
public sealed record AssessmentJob(
    string Id,
    string Kind,
    string Status,
    DateTime CreatedAt,
    string RequestedBy,
    long Total,
    long Processed,
    long Failed,
    string? Cursor,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string? LeaseOwner,
    DateTime? LeaseUntil,
    double ElapsedSeconds,
    string? Message)
{
    /// <summary>Students per second over the time the job has run.</summary>
    public double Throughput => ElapsedSeconds > 0 ? Processed / ElapsedSeconds : 0;

    public bool Finished => Status is JobStatus.Succeeded or JobStatus.Failed;
}

/// <summary>A student a job could not assess, and why.</summary>
public sealed record JobFailure(string JobId, string StudentId, string Code, string Message);

/// <summary>What a job assesses.</summary>
public static class JobKind
{
    public const string Full = "full";
    public const string Incremental = "incremental";
}

/// <summary>Where a job is in its life.</summary>
public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

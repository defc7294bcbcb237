namespace Skillscope.Assessment.Assessing;

/// <summary>
/// A batch assessment run: <c>full</c> (every student) or <c>incremental</c> (students with evidence
/// newer than their last assessment). The students are split into <see cref="JobPartition"/>s (ranges of
/// ids) that any number of workers lease and run; <see cref="Processed"/> and <see cref="Failed"/> count
/// over all of them. <see cref="Cursor"/> is where a job begun before jobs were split had got to: its
/// partitions start after it. <see cref="ElapsedSeconds"/> is wall time since the job started.
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

/// <summary>
/// One range of a job's students, ids after <see cref="After"/> up to and including <see cref="Through"/>
/// (null: to the end), leased by one worker at a time. <see cref="Cursor"/> is the last id whose result
/// is committed, so a partition taken over resumes without gaps or duplicates. <see cref="Generation"/>
/// grows with every lease: a commit names the generation it was leased under and is refused once
/// another worker has taken the partition over (a fencing token), so a late worker cannot write twice.
/// </summary>
public sealed record JobPartition(
    string JobId,
    int Number,
    string? After,
    string? Through,
    string? Cursor,
    string Status,
    string? Owner,
    DateTime? LeaseUntil,
    long Generation,
    long Processed,
    long Failed,
    double ElapsedSeconds)
{
    /// <summary>Students per second over the time its workers spent on it.</summary>
    public double Throughput => ElapsedSeconds > 0 ? Processed / ElapsedSeconds : 0;
}

/// <summary>Where a partition is in its life.</summary>
public static class PartitionStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Done = "done";
}

/// <summary>A job's progress as a worker reports it: the job's counts over every worker, and how many students this worker's last commit added.</summary>
public sealed record JobProgress(AssessmentJob Job, int Committed);

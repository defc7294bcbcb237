using Skillscope.Assessment.Validation;

namespace Skillscope.Assessment.Assessing;

/// <summary>
/// Batch jobs: their partitions, leased by workers on any number of machines, the students they walk,
/// and what they stored and failed.
/// </summary>
public interface IJobStore
{
    /// <summary>Creates a job unless one with its id exists (so replicas scheduling the same nightly run create it once); true when created.</summary>
    Task<bool> CreateJobAsync(AssessmentJob job, CancellationToken cancellation = default);

    /// <summary>
    /// The oldest unfinished job of <paramref name="job"/>'s kind, created from <paramref name="job"/> when
    /// there is none — atomically, so several machines asking at once share one job.
    /// </summary>
    Task<AssessmentJob> CreateJobUnlessPendingAsync(AssessmentJob job, CancellationToken cancellation = default);

    Task<AssessmentJob?> GetJobAsync(string id, CancellationToken cancellation = default);

    Task<IReadOnlyList<AssessmentJob>> ListJobsAsync(int limit, CancellationToken cancellation = default);

    /// <summary>Marks a queued job running (its start time set once); the job as it stands, or null when there is none.</summary>
    Task<AssessmentJob?> StartJobAsync(string id, CancellationToken cancellation = default);

    /// <summary>The oldest unfinished jobs, for workers looking for work.</summary>
    Task<IReadOnlyList<AssessmentJob>> PendingJobsAsync(CancellationToken cancellation = default);

    /// <summary>A job's partitions in order (none before they are made).</summary>
    Task<IReadOnlyList<JobPartition>> ListPartitionsAsync(string jobId, CancellationToken cancellation = default);

    /// <summary>
    /// Splits a job into partitions over the given id ranges, all or nothing; false when it has partitions
    /// already (another worker made them first).
    /// </summary>
    Task<bool> AddPartitionsAsync(string jobId, IReadOnlyList<(string? After, string? Through)> ranges, CancellationToken cancellation = default);

    /// <summary>
    /// Leases the first unfinished partition of a running job that no live worker holds — free, expired, or
    /// held by an owner <paramref name="isDead"/> says is gone — to <paramref name="owner"/>, under a new
    /// generation. Workers claiming at once each get a different one; null when none is left to lease.
    /// </summary>
    Task<JobPartition?> ClaimPartitionAsync(string jobId, string owner, TimeSpan lease, Func<string, bool> isDead, CancellationToken cancellation = default);

    /// <summary>Extends a held lease; false when the partition was taken over (or its job ended).</summary>
    Task<bool> RenewPartitionAsync(JobPartition partition, TimeSpan lease, CancellationToken cancellation = default);

    /// <summary>
    /// Commits one chunk of a partition in one transaction: its assessments and failures, the partition's
    /// cursor and counts, the job's counts, a renewed lease. Throws <see cref="JobLeaseLostException"/>
    /// (committing nothing) when the partition's lease is no longer this generation's or the job ended.
    /// Returns the job's counts after the commit.
    /// </summary>
    Task<(long Processed, long Failed)> CommitPartitionChunkAsync(JobPartition partition, IReadOnlyList<StudentAssessment> assessments, IReadOnlyList<JobFailure> failures,
        string cursor, double workSeconds, double jobElapsedSeconds, TimeSpan lease, CancellationToken cancellation = default);

    /// <summary>Marks a held partition done; false (nothing changed) when its lease was lost.</summary>
    Task<bool> CompletePartitionAsync(JobPartition partition, double workSeconds, CancellationToken cancellation = default);

    /// <summary>Marks a running job succeeded when every partition is done; the job as it stands either way.</summary>
    Task<AssessmentJob?> FinishJobIfCompleteAsync(string jobId, double elapsedSeconds, CancellationToken cancellation = default);

    /// <summary>Marks an unfinished job failed with the reason: its workers' next commits are refused.</summary>
    Task FailJobAsync(string jobId, string message, double elapsedSeconds, CancellationToken cancellation = default);

    /// <summary>
    /// Up to <paramref name="limit"/> student ids after <paramref name="after"/> (and up to <paramref name="through"/>, when given)
    /// in id order; only stale ones (new evidence since the last assessment) when asked.
    /// </summary>
    Task<IReadOnlyList<string>> StudentIdsAsync(string? after, int limit, bool staleOnly, string? through = null, CancellationToken cancellation = default);

    Task<long> CountStudentsAsync(bool staleOnly, CancellationToken cancellation = default);

    Task<IReadOnlyList<JobFailure>> JobFailuresAsync(string jobId, int limit, CancellationToken cancellation = default);

    /// <summary>The skill results of the assessments a job stored.</summary>
    Task<IReadOnlyList<StoredSkillScore>> JobSkillScoresAsync(string jobId, CancellationToken cancellation = default);
}

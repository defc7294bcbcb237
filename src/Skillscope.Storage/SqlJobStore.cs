using System.Data.Common;
using Dapper;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Validation;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>
/// Batch jobs and their partitions. Any number of workers, on any number of machines, lease partitions
/// of the same job; every lease bumps the partition's generation, and every write a worker makes names
/// the generation it leased, so a worker that lost its lease (it stalled past the lease, or was thought
/// dead) has its late commit refused instead of writing a student twice.
/// </summary>
internal sealed class SqlJobStore(SqlDialect dialect) : IJobStore
{
    /// <summary>
    /// The job-level lease every job now carries, held for ever: a process from before jobs were split into
    /// partitions (a replica not yet upgraded in a rolling upgrade) sees the job leased by a live worker and
    /// leaves it alone, instead of assessing its students a second time by the old protocol. (The time is
    /// the last millisecond such a process can read.)
    /// </summary>
    internal const string PartitionedJob = "partitioned";

    internal const long PartitionedJobLease = 253_402_300_799_999;

    // Arbitrary, fixed: every process creating a job takes the same lock.
    private const long JobCreationLockKey = 0x4a6f6273;

    private const string JobSelect =
        "SELECT id, kind, status, created_at, requested_by, total, processed, failed, cursor_id, started_at, finished_at, elapsed_seconds, message FROM assessment_jobs";

    private const string PartitionColumns =
        "job_id, partition_no, after_id, through_id, cursor_id, status, lease_owner, lease_until_ms, generation, processed, failed, elapsed_seconds";

    // The lease a write is made under: the partition is still this generation's and running. (Parameters
    // differing only in case bind as one on PostgreSQL: a new owner is passed as @claimer.)
    // The partition's job still runs: a failed job takes no more leases, renewals or commits.
    private const string JobRunning = "EXISTS (SELECT 1 FROM assessment_jobs WHERE id = @JobId AND status = 'running')";

    private const string HeldLease =
        "job_id = @JobId AND partition_no = @Number AND lease_owner = @Owner AND generation = @Generation AND status = 'running'";

    private readonly SqlDialect _dialect = dialect;

    public async Task<bool> CreateJobAsync(AssessmentJob job, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = _dialect.Open();
        return await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO assessment_jobs (id, kind, status, created_at, requested_by, total, lease_owner, lease_until_ms) " +
            $"VALUES (@Id, @Kind, @Status, @CreatedAt, @RequestedBy, @Total, '{PartitionedJob}', {PartitionedJobLease}) ON CONFLICT (id) DO NOTHING",
            job with { CreatedAt = Utc(job.CreatedAt) }, cancellationToken: cancellation)).ConfigureAwait(false) == 1;
    }

    public async Task<AssessmentJob> CreateJobUnlessPendingAsync(AssessmentJob job, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);

        // Without the lock, two machines starting at once could each see no pending job and make one.
        await _dialect.SerializeAsync(connection, transaction, JobCreationLockKey, cancellation).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO assessment_jobs (id, kind, status, created_at, requested_by, total, lease_owner, lease_until_ms) " +
            $"SELECT @Id, @Kind, @Status, @CreatedAt, @RequestedBy, @Total, '{PartitionedJob}', {PartitionedJobLease} " +
            "WHERE NOT EXISTS (SELECT 1 FROM assessment_jobs WHERE kind = @Kind AND status IN ('queued', 'running'))",
            job with { CreatedAt = Utc(job.CreatedAt) }, transaction, cancellationToken: cancellation)).ConfigureAwait(false);

        // Read in the same transaction: the job may finish as soon as this commits.
        var pending = await connection.QueryAsync(transaction, $"{JobSelect} WHERE kind = @kind AND status IN ('queued', 'running') ORDER BY created_at, id LIMIT 1",
            new { kind = job.Kind }, ReadJob, cancellation).ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return pending[0];
    }

    public async Task<AssessmentJob?> GetJobAsync(string id, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync($"{JobSelect} WHERE id = @id", new { id }, ReadJob, cancellation).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0] : null;
    }

    public Task<IReadOnlyList<AssessmentJob>> ListJobsAsync(int limit, CancellationToken cancellation = default) =>
        _dialect.QueryAsync($"{JobSelect} ORDER BY created_at DESC, id DESC LIMIT @limit", new { limit }, ReadJob, cancellation);

    public Task<IReadOnlyList<AssessmentJob>> PendingJobsAsync(CancellationToken cancellation = default) =>
        _dialect.QueryAsync($"{JobSelect} WHERE status IN ('{JobStatus.Queued}', '{JobStatus.Running}') ORDER BY created_at, id", null, ReadJob, cancellation);

    public async Task<AssessmentJob?> StartJobAsync(string id, CancellationToken cancellation = default)
    {
        await using (var connection = _dialect.Open())
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE assessment_jobs SET status = @running, started_at = COALESCE(started_at, @now) WHERE id = @id AND status = @queued",
                new { id, running = JobStatus.Running, queued = JobStatus.Queued, now = DateTime.UtcNow }, cancellationToken: cancellation)).ConfigureAwait(false);
        }

        return await GetJobAsync(id, cancellation).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<JobPartition>> ListPartitionsAsync(string jobId, CancellationToken cancellation = default) =>
        _dialect.QueryAsync($"SELECT {PartitionColumns} FROM job_partitions WHERE job_id = @jobId ORDER BY partition_no", new { jobId }, ReadPartition, cancellation);

    public async Task<bool> AddPartitionsAsync(string jobId, IReadOnlyList<(string? After, string? Through)> ranges, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        await using (var insert = new RepeatedCommand(connection, transaction,
            "INSERT INTO job_partitions (job_id, partition_no, after_id, through_id, status) VALUES (@job, @number, @after, @through, @pending) ON CONFLICT (job_id, partition_no) DO NOTHING",
            "job", "number", "after", "through", "pending"))
        {
            for (int i = 0; i < ranges.Count; i++)
            {
                // Another worker split the job first (its insert of the same key waited for it, then found it).
                if (await insert.ExecuteAsync(cancellation, jobId, i, ranges[i].After, ranges[i].Through, PartitionStatus.Pending).ConfigureAwait(false) == 0)
                {
                    await transaction.RollbackAsync(cancellation).ConfigureAwait(false);
                    return false;
                }
            }
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return true;
    }

    public async Task<JobPartition?> ClaimPartitionAsync(string jobId, string owner, TimeSpan lease, Func<string, bool> isDead, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(isDead);
        long now = NowMs(), until = now + (long)lease.TotalMilliseconds;

        // The first partition that is free, expired, or this owner's own (left by a failed attempt; the new
        // generation fences off anything that attempt still had in flight), locked as it is chosen: workers
        // claiming at once skip the rows others are taking (PostgreSQL's SKIP LOCKED; SQLite runs one
        // writer at a time anyway).
        var claimed = await _dialect.QueryAsync(
            $"UPDATE job_partitions SET status = 'running', lease_owner = @owner, lease_until_ms = @until, generation = generation + 1 " +
            $"WHERE job_id = @JobId AND partition_no = (SELECT partition_no FROM job_partitions " +
            $"WHERE job_id = @JobId AND status <> 'done' AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until_ms IS NULL OR lease_until_ms < @now) " +
            $"AND {JobRunning} ORDER BY partition_no LIMIT 1{_dialect.SkipLocked}) RETURNING {PartitionColumns}",
            new { JobId = jobId, owner, until, now }, ReadPartition, cancellation).ConfigureAwait(false);
        if (claimed.Count > 0)
        {
            return claimed[0];
        }

        // A holder that is a process gone from this machine is not waited for until its lease runs out.
        foreach (var held in await ListPartitionsAsync(jobId, cancellation).ConfigureAwait(false))
        {
            if (held.Status == PartitionStatus.Done || held.Owner is null || held.Owner == owner || !isDead(held.Owner))
            {
                continue;
            }

            var taken = await _dialect.QueryAsync(
                $"UPDATE job_partitions SET lease_owner = @claimer, lease_until_ms = @until, generation = generation + 1 " +
                $"WHERE {HeldLease} AND {JobRunning} RETURNING {PartitionColumns}",
                new { held.JobId, held.Number, held.Owner, held.Generation, claimer = owner, until }, ReadPartition, cancellation).ConfigureAwait(false);
            if (taken.Count > 0)
            {
                return taken[0];
            }
        }

        return null;
    }

    public async Task<bool> RenewPartitionAsync(JobPartition partition, TimeSpan lease, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        await using var connection = _dialect.Open();
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE job_partitions SET lease_until_ms = @until WHERE {HeldLease} AND {JobRunning}",
            new { partition.JobId, partition.Number, partition.Owner, partition.Generation, until = NowMs() + (long)lease.TotalMilliseconds },
            cancellationToken: cancellation)).ConfigureAwait(false) == 1;
    }

    public async Task<(long Processed, long Failed)> CommitPartitionChunkAsync(JobPartition partition, IReadOnlyList<StudentAssessment> assessments, IReadOnlyList<JobFailure> failures,
        string cursor, double workSeconds, double jobElapsedSeconds, TimeSpan lease, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(assessments);
        ArgumentNullException.ThrowIfNull(failures);
        var documents = SqlAssessmentRecords.Documents(assessments);
        long processed = assessments.Count + failures.Count, failed = failures.Count;
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        int held = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE job_partitions SET cursor_id = @cursor, processed = processed + @processed, failed = failed + @failed, " +
            $"elapsed_seconds = elapsed_seconds + @workSeconds, lease_until_ms = @until WHERE {HeldLease}",
            new { partition.JobId, partition.Number, partition.Owner, partition.Generation, cursor, processed, failed, workSeconds, until = NowMs() + (long)lease.TotalMilliseconds },
            transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        if (held != 1)
        {
            await transaction.RollbackAsync(cancellation).ConfigureAwait(false);
            throw LeaseLost(partition);
        }

        await SqlAssessmentRecords.InsertAsync(connection, transaction, assessments, documents, cancellation).ConfigureAwait(false);
        await using (var insert = new RepeatedCommand(connection, transaction,
            "INSERT INTO job_failures (job_id, student_id, code, message) VALUES (@job, @student, @code, @message) ON CONFLICT (job_id, student_id) DO NOTHING",
            "job", "student", "code", "message"))
        {
            foreach (var failure in failures)
            {
                await insert.ExecuteAsync(cancellation, failure.JobId, failure.StudentId, failure.Code, failure.Message).ConfigureAwait(false);
            }
        }

        // The job's counters last: every worker's commit updates that one row, so it is locked only for
        // the moment before this transaction commits, not while the chunk's rows are written.
        var counts = await connection.QueryAsync(transaction,
            "UPDATE assessment_jobs SET processed = processed + @processed, failed = failed + @failed, " +
            "elapsed_seconds = CASE WHEN elapsed_seconds > @jobElapsedSeconds THEN elapsed_seconds ELSE @jobElapsedSeconds END " +
            "WHERE id = @JobId AND status = 'running' RETURNING processed, failed",
            new { partition.JobId, processed, failed, jobElapsedSeconds }, r => (SqlValues.Int64(r, 0), SqlValues.Int64(r, 1)), cancellation).ConfigureAwait(false);
        if (counts.Count != 1)
        {
            await transaction.RollbackAsync(cancellation).ConfigureAwait(false);
            throw LeaseLost(partition);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return counts[0];
    }

    public async Task<bool> CompletePartitionAsync(JobPartition partition, double workSeconds, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        await using var connection = _dialect.Open();
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE job_partitions SET status = 'done', lease_until_ms = NULL, elapsed_seconds = elapsed_seconds + @workSeconds WHERE {HeldLease}",
            new { partition.JobId, partition.Number, partition.Owner, partition.Generation, workSeconds }, cancellationToken: cancellation)).ConfigureAwait(false) == 1;
    }

    public async Task<AssessmentJob?> FinishJobIfCompleteAsync(string jobId, double elapsedSeconds, CancellationToken cancellation = default)
    {
        // The message is made in the statement that checks every partition is done, from the counts as
        // they are then: a commit between a read and the update could otherwise go unsaid.
        await using (var connection = _dialect.Open())
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
            bool tell = await EventOutbox.OrderedAsync(connection, transaction, Scoring.Events.EventTypes.JobCompleted, cancellation).ConfigureAwait(false);
            int finished = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE assessment_jobs SET status = @succeeded, finished_at = @now, " +
                "message = CASE WHEN failed > 0 THEN CAST(failed AS TEXT) || ' students could not be assessed' ELSE 'ok' END, " +
                "elapsed_seconds = CASE WHEN elapsed_seconds > @elapsedSeconds THEN elapsed_seconds ELSE @elapsedSeconds END " +
                "WHERE id = @jobId AND status = @running AND NOT EXISTS (SELECT 1 FROM job_partitions WHERE job_id = @jobId AND status <> 'done')",
                new { jobId, succeeded = JobStatus.Succeeded, running = JobStatus.Running, now = DateTime.UtcNow, elapsedSeconds },
                transaction, cancellationToken: cancellation)).ConfigureAwait(false);
            if (finished == 1 && tell)
            {
                await PublishEndedAsync(connection, transaction, jobId, cancellation).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        }

        return await GetJobAsync(jobId, cancellation).ConfigureAwait(false);
    }

    public async Task FailJobAsync(string jobId, string message, double elapsedSeconds, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        bool tell = await EventOutbox.OrderedAsync(connection, transaction, Scoring.Events.EventTypes.JobCompleted, cancellation).ConfigureAwait(false);
        int failed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE assessment_jobs SET status = @failed, message = @message, finished_at = @now, elapsed_seconds = @elapsedSeconds " +
            "WHERE id = @jobId AND status IN (@queued, @running)",
            new { jobId, failed = JobStatus.Failed, message, now = DateTime.UtcNow, elapsedSeconds, queued = JobStatus.Queued, running = JobStatus.Running },
            transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        if (failed == 1 && tell)
        {
            await PublishEndedAsync(connection, transaction, jobId, cancellation).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>Tells the installation's subscriptions that take <c>job.completed</c> how a job ended, from the row as the transaction just wrote it.</summary>
    private static async Task PublishEndedAsync(DbConnection connection, DbTransaction transaction, string jobId, CancellationToken cancellation)
    {
        var jobs = await connection.QueryAsync(transaction, $"{JobSelect} WHERE id = @jobId", new { jobId }, ReadJob, cancellation)
            .ConfigureAwait(false);
        var job = jobs[0];
        var data = EventOutbox.Data(writer =>
        {
            writer.WriteString("job_id", job.Id);
            writer.WriteString("status", job.Status);
            writer.WriteString("kind", job.Kind);
            writer.WriteNumber("total", job.Total);
            writer.WriteNumber("processed", job.Processed);
            writer.WriteNumber("failed", job.Failed);
            EventOutbox.WriteStringOrNull(writer, "message", job.Message);
            writer.WriteNumber("elapsed_seconds", Math.Round(job.ElapsedSeconds, 3));
        });
        await EventOutbox.PublishAsync(connection, transaction, Scoring.Events.EventTypes.JobCompleted, job.Id, EventOutbox.Audience.Installation, data,
            job.FinishedAt ?? DateTime.UtcNow, cancellation, ordered: true).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<string>> StudentIdsAsync(string? after, int limit, bool staleOnly, string? through = null, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT id FROM students WHERE (@after IS NULL OR id > @after)" + (through is null ? "" : " AND id <= @through") +
            (staleOnly ? " AND evidence_version <> assessed_version" : "") + " ORDER BY id LIMIT @limit",
            new { after, through, limit }, r => r.GetString(0), cancellation);

    public async Task<long> CountStudentsAsync(bool staleOnly, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM students" + (staleOnly ? " WHERE evidence_version <> assessed_version" : ""), cancellationToken: cancellation)).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<JobFailure>> JobFailuresAsync(string jobId, int limit, CancellationToken cancellation = default) =>
        _dialect.QueryAsync("SELECT job_id, student_id, code, message FROM job_failures WHERE job_id = @jobId ORDER BY student_id LIMIT @limit", new { jobId, limit },
            r => new JobFailure(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)), cancellation);

    public Task<IReadOnlyList<StoredSkillScore>> JobSkillScoresAsync(string jobId, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT s.student_id, s.skill, s.score, s.fused, s.confidence FROM skill_scores s JOIN assessments a ON a.id = s.assessment_id WHERE a.job_id = @jobId",
            new { jobId }, r => new StoredSkillScore(r.GetString(0), r.GetString(1), SqlValues.Double(r, 2), SqlValues.Double(r, 3), SqlValues.Double(r, 4)), cancellation);

    private static JobLeaseLostException LeaseLost(JobPartition partition) =>
        new($"partition {partition.Number} of job {partition.JobId} is no longer leased to {partition.Owner} (generation {partition.Generation}), or the job ended");

    private static AssessmentJob ReadJob(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), SqlValues.Timestamp(r, 3), r.GetString(4), SqlValues.Int64(r, 5), SqlValues.Int64(r, 6), SqlValues.Int64(r, 7),
        SqlValues.NullableString(r, 8), SqlValues.NullableTimestamp(r, 9), SqlValues.NullableTimestamp(r, 10), SqlValues.Double(r, 11), SqlValues.NullableString(r, 12));

    private static JobPartition ReadPartition(DbDataReader r) => new(
        r.GetString(0), (int)SqlValues.Int64(r, 1), SqlValues.NullableString(r, 2), SqlValues.NullableString(r, 3), SqlValues.NullableString(r, 4), r.GetString(5),
        SqlValues.NullableString(r, 6), r.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(SqlValues.Int64(r, 7)).UtcDateTime,
        SqlValues.Int64(r, 8), SqlValues.Int64(r, 9), SqlValues.Int64(r, 10), SqlValues.Double(r, 11));
}

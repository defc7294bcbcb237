using System.Diagnostics;
using System.Threading.Channels;
using Skillscope.Scoring.Serving;

namespace Skillscope.Assessment.Assessing;

/// <summary>
/// Runs batch assessment jobs. A job is split into partitions (ranges of student ids) that any number of
/// workers — <c>serve</c> replicas, <c>assess</c> commands on several machines — lease and run at once.
/// Within a partition, students go in id order, a chunk at a time, each chunk committed with the
/// partition's cursor in one transaction: a worker killed at any point leaves its partition to be taken
/// over (as soon as its lease runs out, at once when it was a process on the same machine) and resumed
/// where its last commit ended, with no student assessed twice and none skipped. A worker renews its
/// lease every third of the lease; one that loses it stops work on that partition.
/// </summary>
public sealed class AssessmentJobRunner(IJobStore jobs, IAssessmentInputs inputs, StudentAssessor assessor, Func<ModelCatalog> models, JobRunnerOptions? options = null)
{
    /// <summary>
    /// Chunk size cap when an LLM writes feedback: the first calls start after a few hundred students are
    /// assessed, not a thousand, and texts are committed as they arrive.
    /// </summary>
    public const int LlmChunkSize = 100;

    // Assessed chunks waiting for feedback and their commit: bounds memory while LLM calls of one chunk overlap the next.
    private const int ChunksFinishing = 3;

    private readonly JobRunnerOptions _options = options ?? new JobRunnerOptions();

    /// <summary>This worker's lease owner name: machine (or the configured worker name), process id and a random part.</summary>
    public string Owner { get; } = $"{(options?.WorkerName is { Length: > 0 } name ? name : Environment.MachineName)}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Creates a job over every student (<c>full</c>) or the stale ones (<c>incremental</c>).</summary>
    public async Task<AssessmentJob> CreateAsync(string kind, string requestedBy, string? id = null, CancellationToken cancellation = default)
    {
        var job = await NewJobAsync(kind, requestedBy, id, cancellation).ConfigureAwait(false);
        bool created = await jobs.CreateJobAsync(job, cancellation).ConfigureAwait(false);
        return created ? job : (await jobs.GetJobAsync(job.Id, cancellation).ConfigureAwait(false))!;
    }

    /// <summary>The unfinished job of this kind if there is one (to resume or share), else a new one; the job and whether it was made now.</summary>
    public async Task<(AssessmentJob Job, bool Created)> JoinOrCreateAsync(string kind, string requestedBy, CancellationToken cancellation = default)
    {
        var job = await NewJobAsync(kind, requestedBy, null, cancellation).ConfigureAwait(false);
        var pending = await jobs.CreateJobUnlessPendingAsync(job, cancellation).ConfigureAwait(false);
        return (pending, pending.Id == job.Id);
    }

    private async Task<AssessmentJob> NewJobAsync(string kind, string requestedBy, string? id, CancellationToken cancellation)
    {
        if (kind is not (JobKind.Full or JobKind.Incremental))
        {
            throw new ArgumentException($"job kind must be {JobKind.Full} or {JobKind.Incremental}, not \"{kind}\"", nameof(kind));
        }

        long total = await jobs.CountStudentsAsync(kind == JobKind.Incremental, cancellation).ConfigureAwait(false);
        return new AssessmentJob(id ?? $"job-{DateTime.UtcNow:yyyyMMddTHHmmss}-{Guid.NewGuid().ToString("N")[..6]}", kind, JobStatus.Queued, DateTime.UtcNow, requestedBy,
            total, 0, 0, null, null, null, 0, null);
    }

    /// <summary>
    /// Works on a job until no partition is left for this worker to lease: the job as it stands then —
    /// finished, or still running while other workers hold its last partitions — or null when there is no
    /// such job. Cancelling stops after the current chunk's commit; the job stays resumable.
    /// </summary>
    public async Task<AssessmentJob?> RunAsync(string jobId, IProgress<JobProgress>? progress = null, CancellationToken cancellation = default)
    {
        var job = await jobs.StartJobAsync(jobId, cancellation).ConfigureAwait(false);
        if (job is null || job.Finished)
        {
            return job;
        }

        try
        {
            await SplitAsync(job, cancellation).ConfigureAwait(false);
            while (await jobs.ClaimPartitionAsync(jobId, Owner, _options.Lease, IsDeadHere, cancellation).ConfigureAwait(false) is { } partition)
            {
                try
                {
                    job = await RunPartitionAsync(job, partition, progress, cancellation).ConfigureAwait(false);
                }
                catch (JobLeaseLostException exception)
                {
                    // Another worker has the partition now (or the job ended): its work is theirs. Go on with the next.
                    _options.LeaseLost?.Invoke(partition, exception.Message);
                }
            }

            return await jobs.FinishJobIfCompleteAsync(jobId, Elapsed(job), cancellation).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or System.Data.Common.DbException { IsTransient: true }))
        {
            // A database that cannot be reached now does not fail the job for every worker: this worker's
            // partition is taken up again once it is reachable (by this worker at once, or by another when
            // the lease runs out).
            await jobs.FailJobAsync(jobId, exception.Message, Elapsed(job), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Works on a job until it has finished: when other workers hold its last partitions this waits,
    /// taking over any whose worker dies, until they are done. The finished job, or null when there is none.
    /// </summary>
    public async Task<AssessmentJob?> RunToEndAsync(string jobId, IProgress<JobProgress>? progress = null, CancellationToken cancellation = default)
    {
        while (true)
        {
            var job = await RunAsync(jobId, progress, cancellation).ConfigureAwait(false);
            if (job is null || job.Finished)
            {
                return job;
            }

            await Task.Delay(_options.WaitForOthers, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Splits a job into partitions of <see cref="JobRunnerOptions.PartitionSize"/> students once; a worker that finds it split already leaves it.</summary>
    private async Task SplitAsync(AssessmentJob job, CancellationToken cancellation)
    {
        if ((await jobs.ListPartitionsAsync(job.Id, cancellation).ConfigureAwait(false)).Count > 0)
        {
            return;
        }

        // A job begun before jobs were split goes on after its cursor. The last range is open: students
        // added while the job runs, after the last boundary, are assessed too.
        bool staleOnly = job.Kind == JobKind.Incremental;
        var ranges = new List<(string? After, string? Through)>();
        string? after = job.Cursor;
        while (true)
        {
            var ids = await jobs.StudentIdsAsync(after, _options.PartitionSize, staleOnly, cancellation: cancellation).ConfigureAwait(false);
            if (ids.Count < _options.PartitionSize)
            {
                ranges.Add((after, null));
                break;
            }

            ranges.Add((after, ids[^1]));
            after = ids[^1];
        }

        await jobs.AddPartitionsAsync(job.Id, ranges, cancellation).ConfigureAwait(false);
    }

    private async Task<AssessmentJob> RunPartitionAsync(AssessmentJob job, JobPartition partition, IProgress<JobProgress>? progress, CancellationToken cancellation)
    {
        // The lease is renewed in the background while the partition is worked on; once it is lost, the
        // work stops and whatever was in flight is dropped (the commits would be refused anyway).
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        int lost = 0;
        var heartbeat = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(_options.Lease / 3);
            while (await timer.WaitForNextTickAsync(work.Token).ConfigureAwait(false))
            {
                try
                {
                    if (!await jobs.RenewPartitionAsync(partition, _options.Lease, work.Token).ConfigureAwait(false))
                    {
                        Interlocked.Exchange(ref lost, 1);
                        await work.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The database did not answer: tried again at the next beat. The lease may run out meanwhile;
                    // then a commit is refused, never written twice.
                }
            }
        }, CancellationToken.None);

        try
        {
            return await AssessPartitionAsync(job, partition, progress, work.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Volatile.Read(ref lost) == 1 && !cancellation.IsCancellationRequested)
        {
            throw new JobLeaseLostException($"partition {partition.Number} of job {partition.JobId} was taken over by another worker");
        }
        finally
        {
            await work.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<AssessmentJob> AssessPartitionAsync(AssessmentJob job, JobPartition partition, IProgress<JobProgress>? progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        double counted = 0;
        bool staleOnly = job.Kind == JobKind.Incremental;

        // The stages overlap: the next chunk loads while this one is assessed, and up to three assessed
        // chunks get their LLM feedback while one committer writes them behind, in order. Only a commit
        // moves the cursor, so a crash loses at most the chunks in flight — they are assessed again on
        // resume. The committer has a thread of its own: a store whose asynchronous calls complete
        // synchronously (SQLite) would otherwise commit inline, and assessing would wait for it.
        int chunkSize = assessor.WritesLlmFeedback ? Math.Min(_options.ChunkSize, LlmChunkSize) : _options.ChunkSize;
        var pending = Channel.CreateBounded<AssessedChunk>(new BoundedChannelOptions(ChunksFinishing) { SingleReader = true, SingleWriter = true });
        var committer = Task.Run(() => CommitInOrderAsync(pending), cancellation);
        try
        {
            var next = LoadAsync(partition.Cursor ?? partition.After, partition.Through, staleOnly, chunkSize, cancellation);
            while (true)
            {
                var (ids, evidence) = await next.ConfigureAwait(false);
                if (ids.Count == 0)
                {
                    break;
                }

                next = LoadAsync(ids[^1], partition.Through, staleOnly, chunkSize, cancellation);
                Task<IReadOnlyList<StudentAssessment>> feedback;
                List<JobFailure> failures;
                int assessed;

                // The span covers scoring the chunk and starting its feedback (whose LLM calls are its children),
                // not the wait for the committer below.
                using (var chunkSpan = AssessmentActivities.Source.StartActivity("assess chunk"))
                {
                    chunkSpan?.SetTag("skillscope.job.id", job.Id);
                    chunkSpan?.SetTag("skillscope.job.partition", partition.Number);
                    chunkSpan?.SetTag("skillscope.chunk.students", ids.Count);
                    var catalog = models();
                    var assessments = await Task.Run(() => assessor.Assess(catalog, evidence, null, job.Id), cancellation).ConfigureAwait(false);
                    (var stored, failures) = SeparateFailures(job.Id, ids, evidence, assessments);
                    assessed = stored.Count;
                    feedback = Task.Run(() => assessor.AddFeedbackAsync(stored, cancellation), cancellation);
                }

                await pending.Writer.WriteAsync(new AssessedChunk(feedback, failures, ids[^1], assessed), cancellation).ConfigureAwait(false);
            }

            pending.Writer.TryComplete();
        }
        catch (ChannelClosedException)
        {
            // The committer stopped on an error; awaiting it below throws that error.
        }
        catch
        {
            // Chunks already assessed still commit in order; then the error that stopped assessing is thrown.
            pending.Writer.TryComplete();
            await committer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        await committer.ConfigureAwait(false);
        if (!await jobs.CompletePartitionAsync(partition, clock.Elapsed.TotalSeconds - counted, cancellation).ConfigureAwait(false))
        {
            throw new JobLeaseLostException($"partition {partition.Number} of job {partition.JobId} was taken over before it was marked done");
        }

        return job;

        async Task CommitInOrderAsync(Channel<AssessedChunk> chunks)
        {
            try
            {
                await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
                {
                    var written = await chunk.Feedback.ConfigureAwait(false);
                    double now = clock.Elapsed.TotalSeconds;
                    var (processed, failed) = await jobs.CommitPartitionChunkAsync(partition, written, chunk.Failures, chunk.Cursor, now - counted, Elapsed(job), _options.Lease, cancellation)
                        .ConfigureAwait(false);
                    counted = now;
                    job = job with { Processed = processed, Failed = failed, ElapsedSeconds = Elapsed(job) };
                    progress?.Report(new JobProgress(job, chunk.Assessed + chunk.Failures.Count));
                }
            }
            catch (Exception exception)
            {
                // Unblocks the assessing loop if it waits for room; it stops and this error is thrown.
                chunks.Writer.TryComplete(exception);
                throw;
            }
        }
    }

    /// <summary>Wall time since the job started (a job's elapsed time counts every worker's together, once).</summary>
    private static double Elapsed(AssessmentJob job) =>
        job.StartedAt is { } started ? Math.Max(job.ElapsedSeconds, (DateTime.UtcNow - started).TotalSeconds) : job.ElapsedSeconds;

    private async Task<(IReadOnlyList<string> Ids, IReadOnlyList<StudentEvidence> Evidence)> LoadAsync(
        string? after, string? through, bool staleOnly, int chunkSize, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var ids = await jobs.StudentIdsAsync(after, chunkSize, staleOnly, through, cancellation).ConfigureAwait(false);
        return (ids, ids.Count == 0 ? [] : await inputs.LoadAssessmentInputsAsync(ids, cancellation).ConfigureAwait(false));
    }

    /// <summary>An assessed chunk on its way to the committer: its feedback (being written), failures, and the cursor its commit moves to.</summary>
    private sealed record AssessedChunk(Task<IReadOnlyList<StudentAssessment>> Feedback, List<JobFailure> Failures, string Cursor, int Assessed);

    /// <summary>Assessments to store, and the students that are failures: nothing scored despite evidence, or gone since they were listed.</summary>
    private static (List<StudentAssessment> Stored, List<JobFailure> Failures) SeparateFailures(
        string jobId, IReadOnlyList<string> ids, IReadOnlyList<StudentEvidence> evidence, IReadOnlyList<StudentAssessment> assessments)
    {
        var stored = new List<StudentAssessment>(assessments.Count);
        var failures = new List<JobFailure>();
        foreach (var assessment in assessments)
        {
            if (assessment.Failure is { } failure)
            {
                failures.Add(new JobFailure(jobId, assessment.StudentId, failure.Code, failure.Message));
            }
            else
            {
                stored.Add(assessment);
            }
        }

        if (evidence.Count < ids.Count)
        {
            var found = evidence.Select(e => e.StudentId).ToHashSet(StringComparer.Ordinal);
            failures.AddRange(ids.Where(id => !found.Contains(id)).Select(id => new JobFailure(jobId, id, "unknown_student", "the student no longer exists")));
        }

        return (stored, failures);
    }

    /// <summary>True when <paramref name="owner"/> names a process on this machine that has exited.</summary>
    public static bool IsDeadHere(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var parts = owner.Split('/');
        if (parts.Length < 2 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out int pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}

/// <summary>
/// How a job runner works: students per committed chunk, students per partition, how long a lease lasts
/// without renewal (renewed every third of it), how long to wait between looks at a job whose last
/// partitions other workers hold, and who is told when a lease was lost.
/// </summary>
public sealed record JobRunnerOptions(int ChunkSize = 1_000, int PartitionSize = 5_000)
{
    /// <summary>
    /// 24 s, renewed every 8 s: a dead worker's lease runs out 16–24 s after its death, and a busy worker takes
    /// the partition up when it finishes its own (a partition of 5,000 students is a few seconds), so it is taken
    /// over within about 30 s of the death.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(24);

    /// <summary>
    /// What names this worker in leases and progress instead of the machine's name. Workers whose names
    /// differ are treated as on different machines: a dead one's partitions are taken over when its lease
    /// runs out, not at once.
    /// </summary>
    public string? WorkerName { get; init; }

    /// <summary>How long <see cref="AssessmentJobRunner.RunToEndAsync"/> waits between looks at a job whose last partitions others hold.</summary>
    public TimeSpan WaitForOthers { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Called with the partition and the reason when another worker took a partition over from this one.</summary>
    public Action<JobPartition, string>? LeaseLost { get; init; }
}

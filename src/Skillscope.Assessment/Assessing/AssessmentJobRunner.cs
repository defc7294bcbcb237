using System.Diagnostics;
using Skillscope.Scoring.Serving;

namespace Skillscope.Assessment.Assessing;

/// <summary>
/// Runs batch assessment jobs: students in id order, a chunk at a time, each chunk committed with the
/// job's cursor in one transaction — so a job killed at any point resumes where its last commit ended,
/// with no student assessed twice and none skipped. The lease keeps two workers off the same job; a
/// lease held by a process that no longer exists on this machine is taken over at once.
/// </summary>
public sealed class AssessmentJobRunner(IAssessmentStore store, StudentAssessor assessor, Func<ModelCatalog> models, JobRunnerOptions? options = null)
{
    /// <summary>
    /// Chunk size cap when an LLM writes feedback: the first calls start after a few hundred students are
    /// assessed, not a thousand, and texts are committed as they arrive.
    /// </summary>
    public const int LlmChunkSize = 100;

    // Assessed chunks waiting for feedback and their commit: bounds memory while LLM calls of one chunk overlap the next.
    private const int ChunksFinishing = 3;

    private readonly JobRunnerOptions _options = options ?? new JobRunnerOptions();

    /// <summary>This worker's lease owner name: machine, process id and a random part.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Creates a job over every student (<c>full</c>) or the stale ones (<c>incremental</c>).</summary>
    public async Task<AssessmentJob> CreateAsync(string kind, string requestedBy, string? id = null, CancellationToken cancellation = default)
    {
        if (kind is not (JobKind.Full or JobKind.Incremental))
        {
            throw new ArgumentException($"job kind must be {JobKind.Full} or {JobKind.Incremental}, not \"{kind}\"", nameof(kind));
        }

        long total = await store.CountStudentsAsync(kind == JobKind.Incremental, cancellation).ConfigureAwait(false);
        var job = new AssessmentJob(id ?? $"job-{DateTime.UtcNow:yyyyMMddTHHmmss}-{Guid.NewGuid().ToString("N")[..6]}", kind, JobStatus.Queued, DateTime.UtcNow, requestedBy,
            total, 0, 0, null, null, null, null, null, 0, null);
        bool created = await store.CreateJobAsync(job, cancellation).ConfigureAwait(false);
        return created ? job : (await store.GetJobAsync(job.Id, cancellation).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Runs (or resumes) a job to its end. Returns the finished job, or null when another live worker
    /// holds it. Cancelling stops after the current chunk's commit; the job stays resumable.
    /// </summary>
    public async Task<AssessmentJob?> RunAsync(string jobId, IProgress<AssessmentJob>? progress = null, CancellationToken cancellation = default)
    {
        var job = await store.ClaimJobAsync(jobId, Owner, _options.Lease, IsDeadHere, cancellation).ConfigureAwait(false);
        if (job is null)
        {
            return null;
        }

        var clock = Stopwatch.StartNew();
        double elapsedBefore = job.ElapsedSeconds;
        string? cursor = job.Cursor;
        bool staleOnly = job.Kind == JobKind.Incremental;
        try
        {
            // The stages overlap: the next chunk loads while this one is assessed, and up to three assessed
            // chunks get their LLM feedback and commit behind them. Commits stay in order, and only a
            // commit moves the cursor, so a crash loses at most the chunks in flight — they are assessed
            // again on resume.
            int chunkSize = assessor.WritesLlmFeedback ? Math.Min(_options.ChunkSize, LlmChunkSize) : _options.ChunkSize;
            var next = LoadAsync(cursor, staleOnly, chunkSize, cancellation);
            var finishing = new Queue<Task>();
            Task lastCommit = Task.CompletedTask;
            while (true)
            {
                var (ids, evidence) = await next.ConfigureAwait(false);
                if (ids.Count == 0)
                {
                    break;
                }

                next = LoadAsync(ids[^1], staleOnly, chunkSize, cancellation);
                var catalog = models();
                var assessments = await Task.Run(() => assessor.Assess(catalog, evidence, null, job.Id), cancellation).ConfigureAwait(false);
                var (stored, failures) = Split(job.Id, ids, evidence, assessments);
                while (finishing.Count >= ChunksFinishing)
                {
                    await finishing.Dequeue().ConfigureAwait(false);
                }

                lastCommit = FinishChunkAsync(lastCommit, ids[^1], stored, failures);
                finishing.Enqueue(lastCommit);
            }

            while (finishing.Count > 0)
            {
                await finishing.Dequeue().ConfigureAwait(false);
            }

            // Feedback for a chunk is written while earlier chunks commit; its own commit waits its turn.
            async Task FinishChunkAsync(Task earlierCommit, string chunkCursor, List<StudentAssessment> stored, List<JobFailure> failures)
            {
                var written = await assessor.AddFeedbackAsync(stored, cancellation).ConfigureAwait(false);
                await earlierCommit.ConfigureAwait(false);
                await store.CommitChunkAsync(job.Id, Owner, written, failures, chunkCursor, elapsedBefore + clock.Elapsed.TotalSeconds, _options.Lease, cancellation).ConfigureAwait(false);
                job = job with
                {
                    Processed = job.Processed + stored.Count + failures.Count, Failed = job.Failed + failures.Count, Cursor = chunkCursor,
                    ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds,
                };
                progress?.Report(job);
            }

            string message = job.Failed > 0 ? $"{job.Failed} students could not be assessed" : "ok";
            await store.FinishJobAsync(job.Id, Owner, JobStatus.Succeeded, message, elapsedBefore + clock.Elapsed.TotalSeconds, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or JobLeaseLostException))
        {
            await store.FinishJobAsync(job.Id, Owner, JobStatus.Failed, exception.Message, elapsedBefore + clock.Elapsed.TotalSeconds, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return await store.GetJobAsync(job.Id, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<(IReadOnlyList<string> Ids, IReadOnlyList<StudentEvidence> Evidence)> LoadAsync(string? after, bool staleOnly, int chunkSize, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var ids = await store.StudentIdsAsync(after, chunkSize, staleOnly, cancellation).ConfigureAwait(false);
        return (ids, ids.Count == 0 ? [] : await store.LoadAssessmentInputsAsync(ids, cancellation).ConfigureAwait(false));
    }

    /// <summary>Assessments to store, and the students that are failures: nothing scored despite evidence, or gone since they were listed.</summary>
    private static (List<StudentAssessment> Stored, List<JobFailure> Failures) Split(
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

/// <summary>How a job runner works: students per committed chunk, and how long a lease lasts without renewal.</summary>
public sealed record JobRunnerOptions(int ChunkSize = 1_000, TimeSpan Lease = default)
{
    public TimeSpan Lease { get; init; } = Lease == default ? TimeSpan.FromMinutes(2) : Lease;
}

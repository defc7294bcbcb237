using System.Diagnostics;
using System.Threading.Channels;
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
            // chunks get their LLM feedback while one committer writes them behind, in order. Only a commit
            // moves the cursor, so a crash loses at most the chunks in flight — they are assessed again on
            // resume. The committer has a thread of its own: a store whose asynchronous calls complete
            // synchronously (SQLite) would otherwise commit inline, and assessing would wait for it.
            int chunkSize = assessor.WritesLlmFeedback ? Math.Min(_options.ChunkSize, LlmChunkSize) : _options.ChunkSize;
            var pending = Channel.CreateBounded<AssessedChunk>(new BoundedChannelOptions(ChunksFinishing) { SingleReader = true, SingleWriter = true });
            var committer = Task.Run(() => CommitInOrderAsync(pending), cancellation);
            try
            {
                var next = LoadAsync(cursor, staleOnly, chunkSize, cancellation);
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
                    var feedback = Task.Run(() => assessor.AddFeedbackAsync(stored, cancellation), cancellation);
                    await pending.Writer.WriteAsync(new AssessedChunk(feedback, failures, ids[^1], stored.Count), cancellation).ConfigureAwait(false);
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

            async Task CommitInOrderAsync(Channel<AssessedChunk> chunks)
            {
                try
                {
                    await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
                    {
                        var written = await chunk.Feedback.ConfigureAwait(false);
                        await store.CommitChunkAsync(job.Id, Owner, written, chunk.Failures, chunk.Cursor, elapsedBefore + clock.Elapsed.TotalSeconds, _options.Lease, cancellation).ConfigureAwait(false);
                        job = job with
                        {
                            Processed = job.Processed + chunk.Assessed + chunk.Failures.Count, Failed = job.Failed + chunk.Failures.Count, Cursor = chunk.Cursor,
                            ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds,
                        };
                        progress?.Report(job);
                    }
                }
                catch (Exception exception)
                {
                    // Unblocks the assessing loop if it waits for room; it stops and this error is thrown.
                    chunks.Writer.TryComplete(exception);
                    throw;
                }
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

    /// <summary>An assessed chunk on its way to the committer: its feedback (being written), failures, and the cursor its commit moves to.</summary>
    private sealed record AssessedChunk(Task<IReadOnlyList<StudentAssessment>> Feedback, List<JobFailure> Failures, string Cursor, int Assessed);

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

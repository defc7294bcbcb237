using System.Diagnostics;
using Microsoft.Extensions.Options;
using Skillscope.Assessment.Assessing;
using Skillscope.Scoring.Serving;

namespace Skillscope.Server.Hosting;

/// <summary>
/// Runs batch assessment jobs in the host: jobs queued through the API, unfinished jobs whose worker
/// died, and the nightly job the <c>Batch:Schedule</c> cron expression (default <c>0 2 * * *</c>; <c>off</c>
/// disables it) creates, read in <c>Batch:TimeZone</c> (default UTC). The nightly job's id is its scheduled minute, so replicas sharing a
/// database create it once; every replica then leases partitions of it, so the night is shared among them.
/// </summary>
internal sealed partial class AssessmentJobWorker(
    IJobStore jobs, IAssessmentInputs inputs, StudentAssessor assessor, ModelHost host, IOptions<BatchOptions> options, NightlySchedule nightly, Telemetry.ServerMetrics metrics, TimeProvider time,
    ILogger<AssessmentJobWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    public AssessmentJobRunner Runner { get; } = new(jobs, inputs, assessor, () => host.Catalog,
        new JobRunnerOptions(options.Value.ChunkSize, options.Value.PartitionSize)
        {
            LeaseLost = (partition, reason) => LeaseLost(logger, partition.Number, partition.JobId, reason),
            WorkerName = options.Value.WorkerName,
        });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string kind = options.Value.Kind;
        var schedule = nightly.Cron;
        var next = schedule?.Next(time.GetUtcNow().UtcDateTime);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (next is { } due && time.GetUtcNow().UtcDateTime >= due)
                {
                    var job = await Runner.CreateAsync(kind, "schedule", $"nightly-{due:yyyyMMddTHHmm}", stoppingToken).ConfigureAwait(false);
                    JobScheduled(logger, job.Id, kind);
                    next = schedule!.Next(due);
                }

                foreach (var job in await jobs.PendingJobsAsync(stoppingToken).ConfigureAwait(false))
                {
                    // Students this replica committed; the job's own counts include every worker's.
                    var progress = new InlineProgress<JobProgress>(done => metrics.StudentsAssessed.Add(done.Committed, new KeyValuePair<string, object?>("via", "job")));

                    // One trace per job on this replica: its chunks are children, and its log lines carry the trace id.
                    using var span = Telemetry.ServerActivities.Source.StartActivity("assessment job", ActivityKind.Internal);
                    span?.SetTag("skillscope.job.id", job.Id);
                    span?.SetTag("skillscope.job.kind", job.Kind);
                    var finished = await Runner.RunAsync(job.Id, progress, stoppingToken).ConfigureAwait(false);
                    if (finished is { Finished: true })
                    {
                        metrics.BatchThroughput.Record(finished.Throughput, new KeyValuePair<string, object?>("kind", finished.Kind));
                        JobFinished(logger, finished.Id, finished.Status, finished.Processed, finished.Failed, finished.Throughput);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A job that throws is marked failed by the runner; the worker itself must live on to
                // run the next one (an escaping exception would stop the whole host).
                JobError(logger, exception);
            }

            // Stopping ends the wait quietly: the loop condition sees it (a throw here read as a failure).
            await Task.Delay(Poll, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "scheduled assessment job {JobId} ({Kind})")]
    private static partial void JobScheduled(ILogger logger, string jobId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "assessment job {JobId} {Status}: {Processed} students, {Failed} failed, {Throughput:F0}/s")]
    private static partial void JobFinished(ILogger logger, string jobId, string status, long processed, long failed, double throughput);

    [LoggerMessage(Level = LogLevel.Warning, Message = "partition {Partition} of assessment job {JobId} was taken over by another worker; stopped work on it ({Reason})")]
    private static partial void LeaseLost(ILogger logger, int partition, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "assessment job worker failed a round; it tries again")]
    private static partial void JobError(ILogger logger, Exception exception);
}

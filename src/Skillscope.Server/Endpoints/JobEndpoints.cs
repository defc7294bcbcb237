using System.Text.Json;
using Skillscope.Assessment.Assessing;
using Skillscope.Server.Hosting;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// Batch assessment jobs: <c>POST /api/v1/assessments/jobs</c> queues one (<c>{"kind": "full"|"incremental"}</c>);
/// the host's worker runs it. <c>GET</c> lists them or shows one with its progress and failures.
/// </summary>
internal static class JobEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/assessments/jobs").WithTags("Batch jobs");
        jobs.MapPost("", Create).RequireAuthorization(Roles.AdminPolicy).Takes<JobCreateBody>("""{"kind": "incremental"}""")
            .Answers<JobResponse>("Queue a batch assessment of every student (full) or of those with new evidence (incremental)", 202)
            .Refuses(400, "invalid_request").Refuses(422, "invalid_job_kind");
        jobs.MapGet("", List).RequireAuthorization(Roles.SystemPolicy).Answers<JobListResponse>("The latest 50 jobs, newest first");
        jobs.MapGet("/{id}", Get).RequireAuthorization(Roles.SystemPolicy)
            .Answers<JobDetailResponse>("One job: progress, partitions, the replicas that ran them, its first 100 failures").Refuses(404, "job_not_found");
    }

    private static async Task<IResult> Create(HttpContext context, AssessmentJobWorker worker)
    {
        var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth: 4, requireJsonMediaType: true, requireObject: true).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        string? kind;
        using (document)
        {
            kind = document.RootElement.TryGetProperty("kind", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }

        if (kind is not (JobKind.Full or JobKind.Incremental))
        {
            return Problems.Of(context, 422, "invalid_job_kind", "\"kind\" must be \"full\" or \"incremental\"");
        }

        var job = await worker.Runner.CreateAsync(kind, Actors.Of(context), cancellation: context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new JobResponse(RequestIds.Of(context), JobView.Of(job)), JsonDefaults.Options, statusCode: 202);
    }

    private static async Task<IResult> List(HttpContext context, IJobStore jobs)
    {
        var listed = await jobs.ListJobsAsync(50, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new JobListResponse(RequestIds.Of(context), listed.Select(JobView.Of).ToArray()), JsonDefaults.Options);
    }

    private static async Task<IResult> Get(HttpContext context, string id, IJobStore jobs)
    {
        var job = await jobs.GetJobAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (job is null)
        {
            return Problems.Of(context, 404, "job_not_found", $"no assessment job has the id \"{id}\"");
        }

        var failures = await jobs.JobFailuresAsync(id, 100, context.RequestAborted).ConfigureAwait(false);
        var partitions = await jobs.ListPartitionsAsync(id, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new JobDetailResponse(
            RequestIds.Of(context),
            JobView.Of(job),
            partitions.Select(p => new PartitionView(p.Number, p.After, p.Through, p.Status, p.Owner, p.Status == PartitionStatus.Running ? p.LeaseUntil : null,
                p.Generation, p.Processed, p.Failed, Math.Round(p.Throughput, 1))).ToArray(),
            JobWorkers.Of(partitions).Select(w => new WorkerView(w.Worker, w.PartitionsDone, w.PartitionsRunning, w.Processed, Math.Round(w.Throughput, 1))).ToArray(),
            failures.Select(f => new StudentError(f.StudentId, f.Code, f.Message)).ToArray()), JsonDefaults.Options);
    }
}

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
        app.MapPost("/api/v1/assessments/jobs", Create).RequireAuthorization(Roles.AdminPolicy);
        app.MapGet("/api/v1/assessments/jobs", List).RequireAuthorization(Roles.SystemPolicy);
        app.MapGet("/api/v1/assessments/jobs/{id}", Get).RequireAuthorization(Roles.SystemPolicy);
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
        return Results.Json(new { request_id = RequestIds.Of(context), job = View(job) }, JsonDefaults.Options, statusCode: 202);
    }

    private static async Task<IResult> List(HttpContext context, AssessmentServices services)
    {
        var jobs = await services.Store.ListJobsAsync(50, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new { request_id = RequestIds.Of(context), jobs = jobs.Select(View) }, JsonDefaults.Options);
    }

    private static async Task<IResult> Get(HttpContext context, string id, AssessmentServices services)
    {
        var job = await services.Store.GetJobAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (job is null)
        {
            return Problems.Of(context, 404, "job_not_found", $"no assessment job has the id \"{id}\"");
        }

        var failures = await services.Store.JobFailuresAsync(id, 100, context.RequestAborted).ConfigureAwait(false);
        var partitions = await services.Store.ListPartitionsAsync(id, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new
        {
            request_id = RequestIds.Of(context),
            job = View(job),
            partitions = partitions.Select(p => new
            {
                number = p.Number,
                after = p.After,
                through = p.Through,
                status = p.Status,
                worker = p.Owner,
                lease_until = p.Status == PartitionStatus.Running ? p.LeaseUntil : null,
                generation = p.Generation,
                processed = p.Processed,
                failed = p.Failed,
                students_per_second = Math.Round(p.Throughput, 1),
            }),
            workers = JobWorkers.Of(partitions).Select(w => new
            {
                worker = w.Worker,
                partitions_done = w.PartitionsDone,
                partitions_running = w.PartitionsRunning,
                processed = w.Processed,
                students_per_second = Math.Round(w.Throughput, 1),
            }),
            failures = failures.Select(f => new { student_id = f.StudentId, code = f.Code, message = f.Message }),
        }, JsonDefaults.Options);
    }

    private static object View(AssessmentJob job) => new
    {
        id = job.Id,
        kind = job.Kind,
        status = job.Status,
        created_at = job.CreatedAt,
        requested_by = job.RequestedBy,
        total = job.Total,
        processed = job.Processed,
        failed = job.Failed,
        progress = job.Total > 0 ? Math.Round(Math.Min(1, (double)job.Processed / job.Total), 4) : 1,
        started_at = job.StartedAt,
        finished_at = job.FinishedAt,
        elapsed_seconds = Math.Round(job.ElapsedSeconds, 2),
        students_per_second = Math.Round(job.Throughput, 1),
        message = job.Message,
    };
}

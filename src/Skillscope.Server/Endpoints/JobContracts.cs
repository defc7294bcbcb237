using Skillscope.Assessment.Assessing;

namespace Skillscope.Server.Endpoints;

/// <summary>Body of <c>POST /api/v1/assessments/jobs</c>: <c>full</c> (every student) or <c>incremental</c> (those with new evidence).</summary>
internal sealed record JobCreateBody(string Kind);

/// <summary>A job as the API shows it.</summary>
internal sealed record JobView(
    string Id, string Kind, string Status, DateTime CreatedAt, string RequestedBy, long Total, long Processed, long Failed, double Progress,
    DateTime? StartedAt, DateTime? FinishedAt, double ElapsedSeconds, double StudentsPerSecond, string? Message)
{
    public static JobView Of(AssessmentJob job) => new(
        job.Id, job.Kind, job.Status, job.CreatedAt, job.RequestedBy, job.Total, job.Processed, job.Failed,
        job.Total > 0 ? Math.Round(Math.Min(1, (double)job.Processed / job.Total), 4) : 1,
        job.StartedAt, job.FinishedAt, Math.Round(job.ElapsedSeconds, 2), Math.Round(job.Throughput, 1), job.Message);
}

/// <summary>A job just queued, or one of the list.</summary>
internal sealed record JobResponse(string RequestId, JobView Job);

/// <summary>The latest 50 jobs.</summary>
internal sealed record JobListResponse(string RequestId, IReadOnlyList<JobView> Jobs);

/// <summary>A job with its partitions, the workers that ran them, and its first failures.</summary>
internal sealed record JobDetailResponse(
    string RequestId, JobView Job, IReadOnlyList<PartitionView> Partitions, IReadOnlyList<WorkerView> Workers, IReadOnlyList<StudentError> Failures);

/// <summary>One partition of a job: its range of students, state, lease and counts.</summary>
internal sealed record PartitionView(
    int Number, string? After, string? Through, string Status, string? Worker, DateTime? LeaseUntil, long Generation, long Processed, long Failed, double StudentsPerSecond);

/// <summary>What one replica did for a job.</summary>
internal sealed record WorkerView(string Worker, int PartitionsDone, int PartitionsRunning, long Processed, double StudentsPerSecond);

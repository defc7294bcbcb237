namespace Skillscope.Assessment.Training;

/// <summary>
/// A retraining run as stored: when it was due (scheduled runs; null when started by hand), started and
/// finished, who started it, its <see cref="Status"/> (<see cref="Running"/>, <see cref="Done"/>,
/// <see cref="Refused"/> — too few ratings — or <see cref="Failed"/>), its report, and a message.
/// </summary>
public sealed record RetrainRun(long Id, DateTime? ScheduledFor, DateTime StartedAt, DateTime? FinishedAt, string Actor, string Status, RetrainReport? Report, string? Message)
{
    public const string Running = "running";
    public const string Done = "done";
    public const string Refused = "refused";
    public const string Failed = "failed";
}

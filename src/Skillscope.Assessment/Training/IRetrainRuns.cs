using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Training;

/// <summary>Retraining runs in the database every replica shares: one run per scheduled time, whichever replica claims it.</summary>
public interface IRetrainRuns
{
    /// <summary>Starts a run; for a scheduled one (<paramref name="scheduledFor"/>), null when another replica has claimed that time already.</summary>
    Task<long?> StartAsync(DateTime? scheduledFor, DateTime startedAt, string actor, CancellationToken cancellation = default);

    /// <summary>Ends a run with its status, report and message, and its audit entry.</summary>
    Task FinishAsync(long id, string status, RetrainReport? report, string? message, DateTime finishedAt, AuditEntry audit, CancellationToken cancellation = default);

    /// <summary>The latest runs, newest first.</summary>
    Task<IReadOnlyList<RetrainRun>> ListAsync(int limit, CancellationToken cancellation = default);
}

namespace Skillscope.Scoring.Registry;

/// <summary>Each model's latest rollout, in the database every replica shares.</summary>
public interface IRolloutStore
{
    /// <summary>Every model's latest rollout.</summary>
    Task<IReadOnlyList<Rollout>> ListRolloutsAsync(CancellationToken cancellation = default);

    /// <summary>Starts a model's rollout, in place of any it had, with its audit entry.</summary>
    Task StartRolloutAsync(Rollout rollout, AuditEntry audit, CancellationToken cancellation = default);

    /// <summary>Moves a rollout from the stage read to the next, with its audit entry; false when another replica (or an admin) moved it first.</summary>
    Task<bool> MoveRolloutAsync(Rollout read, Rollout moved, AuditEntry audit, CancellationToken cancellation = default);
}

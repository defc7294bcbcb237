using System.Data.Common;
using Dapper;
using Skillscope.Scoring.Registry;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Rollouts: one row per model, moved from stage to stage only over the stage read.</summary>
internal sealed class SqlRolloutStore(SqlDialect dialect) : IRolloutStore
{
    private readonly SqlDialect _dialect = dialect;

    public Task<IReadOnlyList<Rollout>> ListRolloutsAsync(CancellationToken cancellation = default) =>
        _dialect.QueryAsync("SELECT model, version, champion, run_id, stage, since_ms, reason, updated_ms FROM rollouts ORDER BY model", null, r => new Rollout(
            r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : SqlValues.Int64(r, 3), r.GetString(4), FromMs(SqlValues.Int64(r, 5)), r.GetString(6),
            FromMs(SqlValues.Int64(r, 7))), cancellation);

    public Task StartRolloutAsync(Rollout rollout, AuditEntry audit, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return AuditedChange.RunAsync(_dialect, audit, (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO rollouts (model, version, champion, run_id, stage, since_ms, reason, updated_ms) VALUES (@Model, @Version, @Champion, @Run, @Stage, @since, @Reason, @updated) " +
            "ON CONFLICT (model) DO UPDATE SET version = excluded.version, champion = excluded.champion, run_id = excluded.run_id, stage = excluded.stage, " +
            "since_ms = excluded.since_ms, reason = excluded.reason, updated_ms = excluded.updated_ms",
            Parameters(rollout), transaction, cancellationToken: cancellation)), cancellation);
    }

    public Task<bool> MoveRolloutAsync(Rollout read, Rollout moved, AuditEntry audit, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(moved);
        var parameters = new DynamicParameters(Parameters(moved));
        parameters.Add("readVersion", read.Version);
        parameters.Add("readStage", read.Stage);
        parameters.Add("readSince", ToMs(read.Since));
        return AuditedChange.RunAsync(_dialect, audit, (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE rollouts SET stage = @Stage, since_ms = @since, reason = @Reason, updated_ms = @updated " +
            "WHERE model = @Model AND version = @readVersion AND stage = @readStage AND since_ms = @readSince",
            parameters, transaction, cancellationToken: cancellation)), cancellation);
    }

    private static object Parameters(Rollout rollout) => new
    {
        rollout.Model, rollout.Version, rollout.Champion, rollout.Run, rollout.Stage, since = ToMs(rollout.Since), rollout.Reason, updated = ToMs(rollout.UpdatedAt),
    };
}

using System.Text.Json;
using Dapper;
using Skillscope.Assessment.Training;
using Skillscope.Scoring.Registry;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Retraining runs; a scheduled time is claimed by inserting it (unique), so one replica runs it.</summary>
internal sealed class SqlRetrainRuns(SqlDialect dialect) : IRetrainRuns
{
    private const string Columns = "id, scheduled_ms, started_ms, finished_ms, actor, status, report, message";

    private readonly SqlDialect _dialect = dialect;

    public async Task<long?> StartAsync(DateTime? scheduledFor, DateTime startedAt, string actor, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync(
            "INSERT INTO retrain_runs (scheduled_ms, started_ms, actor, status) VALUES (@scheduled, @started, @actor, @running) ON CONFLICT (scheduled_ms) DO NOTHING RETURNING id",
            new { scheduled = scheduledFor is { } at ? ToMs(at) : (long?)null, started = ToMs(startedAt), actor, running = RetrainRun.Running },
            r => SqlValues.Int64(r, 0), cancellation).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task FinishAsync(long id, string status, RetrainReport? report, string? message, DateTime finishedAt, AuditEntry audit,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE retrain_runs SET status = @status, report = @document, message = @message, finished_ms = @finished WHERE id = @id",
            new { id, status, document = report is null ? null : JsonSerializer.Serialize(report, StoredJson.Options), message, finished = ToMs(finishedAt) }, transaction,
            cancellationToken: cancellation)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(SqlAuditLog.Insert, audit, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<RetrainRun>> ListAsync(int limit, CancellationToken cancellation = default) =>
        _dialect.QueryAsync($"SELECT {Columns} FROM retrain_runs ORDER BY id DESC LIMIT @limit", new { limit }, r => new RetrainRun(
            SqlValues.Int64(r, 0), r.IsDBNull(1) ? null : FromMs(SqlValues.Int64(r, 1)), FromMs(SqlValues.Int64(r, 2)), r.IsDBNull(3) ? null : FromMs(SqlValues.Int64(r, 3)),
            r.GetString(4), r.GetString(5), SqlValues.NullableString(r, 6) is { } report ? JsonSerializer.Deserialize<RetrainReport>(report, StoredJson.Options) : null,
            SqlValues.NullableString(r, 7)), cancellation);
}

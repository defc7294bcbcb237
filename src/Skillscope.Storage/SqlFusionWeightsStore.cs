using System.Data.Common;
using Dapper;
using Skillscope.Assessment.Fusion;
using Skillscope.Scoring.Registry;

namespace Skillscope.Storage;

/// <summary>Fusion weights as versioned rows, each written once with its audit entry and announced to the other processes.</summary>
public sealed class SqlFusionWeightsStore : IFusionWeightsStore
{
    private readonly SqlDialect _dialect;

    internal SqlFusionWeightsStore(SqlDialect dialect)
    {
        _dialect = dialect;
    }

    public async Task<(long Version, string Document)?> LatestFusionWeightsAsync(CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync("SELECT version, document FROM fusion_weights ORDER BY version DESC LIMIT 1", null,
            r => (SqlValues.Int64(r, 0), r.GetString(1)), cancellation).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<bool> AddFusionWeightsAsync(long version, string document, AuditEntry audit, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        int written = await Execute(connection, transaction,
            "INSERT INTO fusion_weights (version, document, updated_at, updated_by) VALUES (@version, @document, @at, @by) ON CONFLICT (version) DO NOTHING",
            new { version, document, at = audit.At, by = audit.Actor }, cancellation).ConfigureAwait(false);
        if (written == 0)
        {
            await transaction.RollbackAsync(cancellation).ConfigureAwait(false);
            return false;
        }

        await Execute(connection, transaction, SqlAuditLog.Insert, audit, cancellation).ConfigureAwait(false);
        await _dialect.NotifyAsync(connection, transaction, ClusterChanges.Fusion, cancellation).ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return true;
    }

    private static Task<int> Execute(DbConnection connection, DbTransaction transaction, string sql, object parameters, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellation));
}

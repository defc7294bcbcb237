using System.Data.Common;
using Dapper;
using Skillscope.Scoring.Registry;

namespace Skillscope.Storage;

/// <summary>
/// A change written with its audit entry in one transaction: an entry never stands for a change that did not
/// happen, nor a change without its entry. When the change touches no row, nothing is written and the answer is false.
/// </summary>
internal static class AuditedChange
{
    /// <param name="dialect">The database.</param>
    /// <param name="audit">The entry written with the change.</param>
    /// <param name="change">The change; returns the rows it touched.</param>
    /// <param name="cancellation">Stops it before it commits.</param>
    /// <param name="topic">Other processes told of the change as it commits (<see cref="SqlDialect.NotifyAsync"/>), when given.</param>
    public static async Task<bool> RunAsync(SqlDialect dialect, AuditEntry audit, Func<DbConnection, DbTransaction, Task<int>> change, CancellationToken cancellation,
        string? topic = null)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await using var connection = dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        if (await change(connection, transaction).ConfigureAwait(false) == 0)
        {
            await transaction.RollbackAsync(cancellation).ConfigureAwait(false);
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(SqlAuditLog.Insert, audit, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        if (topic is not null)
        {
            await dialect.NotifyAsync(connection, transaction, topic, cancellation).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return true;
    }
}

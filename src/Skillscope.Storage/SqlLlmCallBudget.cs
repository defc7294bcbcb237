using System.Data.Common;
using Dapper;
using Skillscope.Assessment.Reasoning;

namespace Skillscope.Storage;

/// <summary>
/// One LLM call budget for every process on a shared PostgreSQL database: each call is a row, and a
/// call is allowed only while fewer than the limits were made in the last 60 and 3,600 seconds, by the
/// database's clock. Checks and records happen under one advisory lock, so replicas together never
/// exceed the limits in any sliding minute or hour (token buckets per process would let N replicas make
/// N times the calls, and a fixed window twice the limit across a window's edge).
/// </summary>
internal sealed class SqlLlmCallBudget(SqlDialect dialect, int perMinute, int perHour) : ILlmCallBudget
{
    // Arbitrary, fixed: every process spending the budget takes the same lock.
    private const long BudgetLockKey = 0x4c4c4d62756467;

    private const string Take = """
        WITH now_at AS (SELECT clock_timestamp() AS at),
        spent AS (
            SELECT count(*) FILTER (WHERE c.at > n.at - interval '1 minute') AS minute, count(*) AS hour
            FROM llm_calls c, now_at n WHERE c.at > n.at - interval '1 hour')
        INSERT INTO llm_calls (at)
        SELECT n.at FROM now_at n, spent s WHERE s.minute < @perMinute AND s.hour < @perHour
        """;

    public async ValueTask<bool> TryTakeAsync(CancellationToken cancellation = default)
    {
        try
        {
            await using var connection = dialect.Open();
            await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
            await dialect.SerializeAsync(connection, transaction, BudgetLockKey, cancellation).ConfigureAwait(false);
            int taken = await connection.ExecuteAsync(new CommandDefinition(Take, new { perMinute, perHour }, transaction, cancellationToken: cancellation)).ConfigureAwait(false);

            // Calls older than the longest window count for nothing; removed as they go, a few at a time.
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM llm_calls WHERE id IN (SELECT id FROM llm_calls WHERE at < clock_timestamp() - interval '1 hour' LIMIT 100)",
                transaction: transaction, cancellationToken: cancellation)).ConfigureAwait(false);
            await transaction.CommitAsync(cancellation).ConfigureAwait(false);
            return taken == 1;
        }
        catch (DbException)
        {
            // The budget cannot be checked: no call is made (the template is written), rather than risk the limit.
            return false;
        }
    }
}

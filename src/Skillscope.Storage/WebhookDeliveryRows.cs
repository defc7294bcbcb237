using Dapper;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>
/// The claim and outcome of one webhook delivery attempt, for the two delivery tables (alerts' and events'),
/// which keep the same columns for this: a claim bumps the attempt count over the count read, and an outcome is
/// written only over the attempt claimed, so a replica whose lease ran out never overwrites a later attempt's.
/// </summary>
internal static class WebhookDeliveryRows
{
    public const string AlertTable = "alert_deliveries";

    public const string EventTable = "event_deliveries";

    public static async Task<bool> ClaimAsync(SqlDialect dialect, string table, long id, int attempts, DateTime leaseUntil, CancellationToken cancellation)
    {
        await using var connection = dialect.Open();
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE {table} SET attempts = attempts + 1, next_ms = @lease WHERE id = @id AND attempts = @attempts AND status = 'pending'",
            new { id, attempts, lease = ToMs(leaseUntil) }, cancellationToken: cancellation)).ConfigureAwait(false) == 1;
    }

    /// <summary>Writes an attempt's outcome over the attempt claimed; false when a later claim has taken the delivery.</summary>
    public static async Task<bool> RecordAsync(SqlDialect dialect, string table, long deliveryId, int attempt, string status, DateTime? deliveredAt, DateTime nextAttempt,
        string? failure, CancellationToken cancellation)
    {
        await using var connection = dialect.Open();
        return await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE {table} SET status = @status, delivered_ms = @delivered, next_ms = @next, last_error = COALESCE(@failure, last_error) " +
            "WHERE id = @deliveryId AND attempts = @attempt AND status = 'pending'",
            new { deliveryId, attempt, status, delivered = deliveredAt is { } at ? ToMs(at) : (long?)null, next = ToMs(nextAttempt), failure },
            cancellationToken: cancellation)).ConfigureAwait(false) == 1;
    }
}

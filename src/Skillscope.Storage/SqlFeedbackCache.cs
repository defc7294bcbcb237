using Dapper;
using Skillscope.Assessment.Reasoning;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>LLM feedback texts kept by the hash of what was sent.</summary>
internal sealed class SqlFeedbackCache(SqlDialect dialect) : IFeedbackCache
{
    private readonly SqlDialect _dialect = dialect;

    public async Task<string?> GetFeedbackAsync(string key, DateTime now, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT feedback FROM feedback_cache WHERE cache_key = @key AND expires_ms > @now", new { key, now = ToMs(now) }, cancellationToken: cancellation)).ConfigureAwait(false);
    }

    public async Task PutFeedbackAsync(string key, string feedbackJson, DateTime expiresAt, string studentId, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();

        // Expired entries go as new ones arrive, so the table holds about one TTL's worth of texts.
        long now = ToMs(DateTime.UtcNow);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO feedback_cache (cache_key, feedback, created_ms, expires_ms, student_id) VALUES (@key, @feedbackJson, @now, @expires, @studentId) " +
            "ON CONFLICT (cache_key) DO UPDATE SET feedback = excluded.feedback, created_ms = excluded.created_ms, expires_ms = excluded.expires_ms, student_id = excluded.student_id",
            new { key, feedbackJson, now, expires = ToMs(expiresAt), studentId }, cancellationToken: cancellation)).ConfigureAwait(false);
        if (Random.Shared.Next(100) == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM feedback_cache WHERE expires_ms <= @now", new { now }, cancellationToken: cancellation)).ConfigureAwait(false);
        }
    }

    public Task<IReadOnlyList<string>> RosterNamesAsync(CancellationToken cancellation = default) =>
        _dialect.QueryAsync("SELECT first_name FROM students UNION SELECT last_name FROM students UNION SELECT name FROM teachers", null, r => r.GetString(0), cancellation);
}

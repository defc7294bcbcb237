using Dapper;
using Skillscope.Assessment.Reasoning;

namespace Skillscope.Storage;

/// <summary>
/// Each district's LLM-written texts per day, one row per district and day counted up in one statement: the
/// row is only raised while below the limit, so concurrent writers on any replica never pass it together.
/// </summary>
internal sealed class SqlDistrictLlmUsage(SqlDialect dialect) : IDistrictLlmUsage
{
    private const string Take = """
        INSERT INTO district_llm_usage (district_id, day, used) VALUES (@districtId, @day, 1)
        ON CONFLICT (district_id, day) DO UPDATE SET used = district_llm_usage.used + 1 WHERE district_llm_usage.used < @limit
        """;

    public async ValueTask<bool> TryTakeAsync(string districtId, DateOnly day, int limit, CancellationToken cancellation = default)
    {
        if (limit <= 0)
        {
            return false;
        }

        await using var connection = dialect.Open();
        return await connection.ExecuteAsync(new CommandDefinition(Take, new { districtId, day = Day(day), limit }, cancellationToken: cancellation)).ConfigureAwait(false) == 1;
    }

    public async ValueTask ReturnAsync(string districtId, DateOnly day, CancellationToken cancellation = default)
    {
        await using var connection = dialect.Open();
        await connection.ExecuteAsync(new CommandDefinition("UPDATE district_llm_usage SET used = used - 1 WHERE district_id = @districtId AND day = @day AND used > 0",
            new { districtId, day = Day(day) }, cancellationToken: cancellation)).ConfigureAwait(false);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

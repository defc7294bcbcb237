using Dapper;
using Skillscope.Scoring.Registry;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>The audit log; other stores write their entries with <see cref="Insert"/> in the transaction of the change.</summary>
internal sealed class SqlAuditLog(SqlDialect dialect) : IAuditLog
{
    internal const string Insert =
        "INSERT INTO audit_log (at, actor, action, subject, before_value, after_value) VALUES (@At, @Actor, @Action, @Subject, @Before, @After)";

    private readonly SqlDialect _dialect = dialect;

    public async Task AuditAsync(AuditEntry entry, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = _dialect.Open();
        await connection.ExecuteAsync(new CommandDefinition(Insert, entry with { At = Utc(entry.At) }, cancellationToken: cancellation)).ConfigureAwait(false);
    }
}

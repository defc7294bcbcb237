using System.Data.Common;
using Dapper;
using Npgsql;

namespace Skillscope.Storage;

/// <summary>A PostgreSQL server reached by connection string.</summary>
internal sealed class PostgresDialect(string connectionString) : SqlDialect, IDisposable
{
    // Arbitrary, fixed: every Skillscope process migrating the same database takes the same lock.
    private const long MigrationLockKey = 0x536b696c6c73;

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public override string Kind => "postgresql";

    public override string IdentityColumn => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    public override string ClusteredTable => "";

    public override string BlobColumn => "BYTEA";

    public override string TimestampColumn => "TIMESTAMPTZ";

    public override DbConnection Open() => _dataSource.OpenConnection();

    public override string TenthBin(string expression) => $"LEAST(GREATEST(FLOOR({expression} * 10)::int, 0), 9)";

    public override IRowInserter RowInserter(DbConnection connection, DbTransaction transaction, string table, string[] columns, string tail) =>
        new CopyInsert((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, table, columns, tail);

    // Not "= ANY(@ids)": on a big evidence table ANALYZE's sample underestimates how many students there
    // are (a million students in 175 M events looked like 5,000 rows each), and the planner then scanned
    // the whole table for every chunk of 1,000 ids. Joined to the unnested ids it looks each one up in the
    // index whatever the estimate (0.5 s instead of minutes for 1,000 students' events).
    public override string InList(string column, string parameter) => $"{column} IN (SELECT unnest(@{parameter}))";

    public void Dispose() => _dataSource.Dispose();

    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = MigrationLockKey }, transaction, cancellationToken: cancellation));
}

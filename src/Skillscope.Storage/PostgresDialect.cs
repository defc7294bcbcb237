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

    public override string InList(string column, string parameter) => $"{column} = ANY(@{parameter})";

    public void Dispose() => _dataSource.Dispose();

    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = MigrationLockKey }, transaction, cancellationToken: cancellation));
}

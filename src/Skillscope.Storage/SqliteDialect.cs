using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Skillscope.Storage;

/// <summary>An embedded SQLite file in write-ahead-log mode, so readers never wait for the writer.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    private readonly string _connectionString;

    public SqliteDialect(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        connection.Execute("PRAGMA journal_mode = WAL;");
    }

    public override string Kind => "sqlite";

    public override string IdentityColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";

    public override string ClusteredTable => "WITHOUT ROWID";

    public override string BlobColumn => "BLOB";

    public override string TimestampColumn => "TEXT";

    public override string TenthBin(string expression) => $"MIN(MAX(CAST({expression} * 10 AS INTEGER), 0), 9)";

    // Timestamps are stored as ISO 8601 text in UTC ("2026-12-07 14:48:24.1442939").
    public override string YearMonth(string expression) => $"(CAST(substr({expression}, 1, 4) AS INTEGER) * 100 + CAST(substr({expression}, 6, 2) AS INTEGER))";

    // One prepared row statement bound by position on the native handle: Microsoft.Data.Sqlite binds each
    // parameter by a name lookup that scans the statement's parameters (8 rows per statement made an import
    // 1.5× slower, 256 rows 10× slower), and its per-call bookkeeping outweighed SQLite's own work.
    public override IRowInserter RowInserter(DbConnection connection, DbTransaction transaction, string table, string[] columns, string tail) =>
        new SqliteStatementInsert(connection, table, columns, tail);

    public override IRowInserter NewRowInserter(DbConnection connection, DbTransaction transaction, string table, string[] columns) =>
        new SqliteStatementInsert(connection, table, columns, "");

    // One JSON text parameter instead of one parameter per id: SQLite finds a bound parameter's slot by a
    // scan of the statement's names, so binding a list of 500 ids cost 500 × 500 comparisons per query.
    public override string InList(string column, string parameter) => $"{column} IN (SELECT value FROM json_each(@{parameter}))";

    public override object List(IEnumerable<string> ids) => JsonSerializer.Serialize(ids);

    // Deleted rows are overwritten with zeros (in the database file and in the pages written to the WAL)
    // instead of being left in free pages.
    public override Task BeginErasureAsync(DbConnection connection, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition("PRAGMA secure_delete = ON", cancellationToken: cancellation));

    // The WAL still holds earlier versions of the erased pages: they are copied into the database file
    // (now zeroed) and the WAL truncated to nothing. Waits for readers (busy_timeout) before it may.
    public override Task ReclaimErasedAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition("PRAGMA wal_checkpoint(TRUNCATE)", cancellationToken: cancellation));

    public override Task EndErasureAsync(DbConnection connection, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition("PRAGMA secure_delete = OFF", cancellationToken: cancellation));

    public override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        connection.Execute("PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;");
        return connection;
    }

    // SQLite serialises writers itself; the first write in the migration transaction takes the lock.
    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition("CREATE TABLE IF NOT EXISTS migration_lock (id INTEGER PRIMARY KEY); INSERT OR IGNORE INTO migration_lock VALUES (1); UPDATE migration_lock SET id = 1;", transaction: transaction, cancellationToken: cancellation));
}

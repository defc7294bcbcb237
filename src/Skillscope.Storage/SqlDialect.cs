using System.Data.Common;

namespace Skillscope.Storage;

/// <summary>What differs between SQLite and PostgreSQL: connections, a few column types, locking.</summary>
internal abstract class SqlDialect
{
    public abstract string Kind { get; }

    /// <summary>Column type for an auto-numbered 64-bit key.</summary>
    public abstract string IdentityColumn { get; }

    /// <summary>Column type for a UTC timestamp.</summary>
    public abstract string TimestampColumn { get; }

    /// <summary>Table option that stores rows in primary-key order (SQLite's <c>WITHOUT ROWID</c>; PostgreSQL has none).</summary>
    public abstract string ClusteredTable { get; }

    /// <summary>Column type for bytes (<c>BLOB</c> / <c>BYTEA</c>).</summary>
    public abstract string BlobColumn { get; }

    public abstract DbConnection Open();

    /// <summary>
    /// Rows per multi-row INSERT in bulk writes. PostgreSQL wants many (a round trip per statement is the
    /// cost: 256 made an import 4.8× faster); SQLite one, since a call costs little in-process and
    /// Microsoft.Data.Sqlite binds each parameter by a name lookup that scans the statement's parameters
    /// (8 rows per statement made an import 1.5× slower, 256 rows 10× slower).
    /// </summary>
    public abstract int RowsPerInsert { get; }

    /// <summary>The bin 0–9 of a value in [0, 1] (1 itself in bin 9): SQLite's CAST truncates, PostgreSQL's rounds.</summary>
    public abstract string TenthBin(string expression);

    /// <summary>A "column is one of the list parameter" condition: Dapper expands lists for SQLite; Npgsql binds arrays.</summary>
    public abstract string InList(string column, string parameter);

    /// <summary>Takes the lock that makes migrations safe when several processes start at once.</summary>
    public abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellation);

    /// <summary><c>INSERT … ON CONFLICT (keys) DO UPDATE</c> — both databases spell it the same way.</summary>
    public static string Upsert(string table, string[] keys, string[] values) =>
        $"INSERT INTO {table} ({string.Join(", ", keys.Concat(values))}) VALUES ({string.Join(", ", keys.Concat(values).Select(c => "@" + c))}) " +
        $"ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET {string.Join(", ", values.Select(c => $"{c} = excluded.{c}"))}";
}

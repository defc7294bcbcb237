using System.Data.Common;

namespace Skillscope.Storage;

/// <summary>What differs between SQLite and PostgreSQL: connections, a few column types, locking.</summary>
internal abstract class SqlDialect
{
    /// <summary>SQLite caps bound parameters per statement: lists of ids are sent in chunks of this size.</summary>
    public const int IdChunk = 500;

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
    /// The fastest way this database takes many rows into one table inside a transaction; <paramref name="tail"/>
    /// follows the rows (the conflict clause and <c>RETURNING column</c>).
    /// </summary>
    public abstract IRowInserter RowInserter(DbConnection connection, DbTransaction transaction, string table, string[] columns, string tail);

    /// <summary>
    /// <see cref="RowInserter"/> for rows the caller knows are new: no row's key is stored already or repeated
    /// among the rows (a key that is fails the transaction). Nothing is reported in <c>Written</c>.
    /// </summary>
    public abstract IRowInserter NewRowInserter(DbConnection connection, DbTransaction transaction, string table, string[] columns);

    /// <summary>The bin 0–9 of a value in [0, 1] (1 itself in bin 9): SQLite's CAST truncates, PostgreSQL's rounds.</summary>
    public abstract string TenthBin(string expression);

    /// <summary>A timestamp's year and month in UTC as one integer, year × 100 + month (202612).</summary>
    public abstract string YearMonth(string expression);

    /// <summary>A "column is one of the list parameter" condition; the parameter's value is <see cref="List"/> of the ids.</summary>
    public abstract string InList(string column, string parameter);

    /// <summary>The value of an <see cref="InList"/> parameter.</summary>
    public abstract object List(IEnumerable<string> ids);

    /// <summary>
    /// Makes transactions that take the same <paramref name="key"/> run one after another (a PostgreSQL
    /// advisory lock held to the end of the transaction); nothing where writers already run one at a time (SQLite).
    /// </summary>
    public virtual Task SerializeAsync(DbConnection connection, DbTransaction transaction, long key, CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>Takes the lock that makes migrations safe when several processes start at once.</summary>
    public abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellation);

    /// <summary>
    /// A statement that makes a large text column compress with a fast method for rows written from now on
    /// (PostgreSQL's lz4, where the server has it); null where there is nothing to choose.
    /// </summary>
    public virtual string? FastCompression(string table, string column) => null;

    /// <summary>Brings the query planner's statistics of these tables up to date (PostgreSQL's ANALYZE); nothing where the planner needs none.</summary>
    public virtual Task RefreshStatisticsAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>A statement keeping the table's rows of up to about 8 KB whole in their page (not compressed or moved aside), or null where rows always are.</summary>
    public virtual string? InlineRows(string table) => null;

    /// <summary>What ends a <c>SELECT</c> whose rows the transaction will change, so a concurrent one waits for it (PostgreSQL); empty where writers run one at a time (SQLite).</summary>
    public virtual string ForUpdate => "";

    /// <summary>What ends a <c>SELECT … LIMIT 1</c> that picks a row to lease, so concurrent pickers skip rows being taken (PostgreSQL); empty where writers run one at a time (SQLite).</summary>
    public virtual string SkipLocked => "";

    /// <summary>True when other processes can be told of a change as it commits (PostgreSQL's <c>NOTIFY</c>); else they poll.</summary>
    public virtual bool Notifies => false;

    /// <summary>Prepares a connection for an erasure: deleted rows must leave no bytes behind where the engine allows it.</summary>
    public virtual Task BeginErasureAsync(DbConnection connection, CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>After an erasure committed: gets the erased rows' space back (and their bytes out of logs) as far as the engine allows.</summary>
    public virtual Task ReclaimErasedAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>Puts the connection back as other work expects it (it returns to the pool).</summary>
    public virtual Task EndErasureAsync(DbConnection connection, CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>Announces <paramref name="topic"/> to every listener when <paramref name="transaction"/> commits (nothing where the database cannot).</summary>
    public virtual Task NotifyAsync(DbConnection connection, DbTransaction transaction, string topic, CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>
    /// Listens for announced topics until cancelled or the connection fails (then throws); <paramref name="connected"/>
    /// runs once listening, before any topic, so a caller can catch up on what it missed while not listening.
    /// </summary>
    public virtual Task ListenAsync(Func<string, Task> topic, Func<Task> connected, CancellationToken cancellation) =>
        throw new NotSupportedException($"{Kind} cannot announce changes; poll instead");

    /// <summary><c>INSERT … ON CONFLICT (keys) DO UPDATE</c> — both databases spell it the same way.</summary>
    public static string Upsert(string table, string[] keys, string[] values) =>
        $"INSERT INTO {table} ({string.Join(", ", keys.Concat(values))}) VALUES ({string.Join(", ", keys.Concat(values).Select(c => "@" + c))}) " +
        $"ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET {string.Join(", ", values.Select(c => $"{c} = excluded.{c}"))}";
}

using System.Data.Common;
using Dapper;
using Npgsql;

namespace Skillscope.Storage;

/// <summary>A PostgreSQL server reached by connection string.</summary>
internal sealed class PostgresDialect(string connectionString) : SqlDialect, IDisposable
{
    // Arbitrary, fixed: every Skillscope process migrating the same database takes the same lock.
    private const long MigrationLockKey = 0x536b696c6c73;

    /// <summary>The <c>application_name</c> of each process's listening connection.</summary>
    public const string ListenerName = "skillscope-listener";

    private static readonly TimeSpan ListenProbeInterval = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public override string Kind => "postgresql";

    public override string IdentityColumn => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    public override string ClusteredTable => "";

    public override string BlobColumn => "BYTEA";

    public override string TimestampColumn => "TIMESTAMPTZ";

    public override DbConnection Open() => _dataSource.OpenConnection();

    public override string TenthBin(string expression) => $"LEAST(GREATEST(FLOOR({expression} * 10)::int, 0), 9)";

    public override string YearMonth(string expression) =>
        $"(EXTRACT(YEAR FROM {expression} AT TIME ZONE 'UTC')::int * 100 + EXTRACT(MONTH FROM {expression} AT TIME ZONE 'UTC')::int)";

    public override IRowInserter RowInserter(DbConnection connection, DbTransaction transaction, string table, string[] columns, string tail) =>
        new CopyInsert((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, table, columns, tail);

    public override IRowInserter NewRowInserter(DbConnection connection, DbTransaction transaction, string table, string[] columns) =>
        new CopyInsert((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, table, columns, tail: null);

    // Not "= ANY(@ids)": on a big evidence table ANALYZE's sample underestimates how many students there
    // are (a million students in 175 M events looked like 5,000 rows each), and the planner then scanned
    // the whole table for every chunk of 1,000 ids. Joined to the unnested ids it looks each one up in the
    // index whatever the estimate (0.5 s instead of minutes for 1,000 students' events).
    public override string InList(string column, string parameter) => $"{column} IN (SELECT unnest(@{parameter}))";

    public override object List(IEnumerable<string> ids) => ids as string[] ?? [.. ids];

    public override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    public override string ForUpdate => " FOR UPDATE";

    // VACUUM removes the erased rows' dead versions and their index entries and makes the space reusable
    // (PostgreSQL has no secure delete: the bytes stay in the data files until reused, and in WAL archives
    // and backups until they expire; docs/SECURITY.md says so). It cannot run inside a transaction.
    public override Task ReclaimErasedAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition($"VACUUM {string.Join(", ", tables)}", commandTimeout: 600, cancellationToken: cancellation));

    // A server built without lz4 keeps its default (pglz) rather than failing the migration.
    public override string? FastCompression(string table, string column) =>
        $"DO $$ BEGIN ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4; EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL; END $$";

    // Autovacuum analyses a table a minute or more after it changed: too late for the reads that follow
    // an import in the same process.
    public override Task RefreshStatisticsAsync(DbConnection connection, IReadOnlyList<string> tables, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition($"ANALYZE {string.Join(", ", tables)}", commandTimeout: 600, cancellationToken: cancellation));

    // PostgreSQL compresses and moves aside ("TOAST") any row over 2 KB by default; an event block is
    // 2–5 KB of varints that compress little, so it is kept whole in its page instead (the import of
    // 20,000 students took the same time either way: no gain is claimed for it).
    public override string? InlineRows(string table) => $"ALTER TABLE {table} SET (toast_tuple_target = 8160)";

    public override bool Notifies => true;

    public override Task NotifyAsync(DbConnection connection, DbTransaction transaction, string topic, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@channel, @topic)", new { channel = ClusterChanges.Channel, topic }, transaction, cancellationToken: cancellation));

    public override async Task ListenAsync(Func<string, Task> topic, Func<Task> connected, CancellationToken cancellation)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellation).ConfigureAwait(false);
        var received = new List<string>();
        connection.Notification += (_, notification) => received.Add(notification.Payload);
        // Named, so an operator (or a test) can tell the listening connection from the pool's.
        await using (var listen = new NpgsqlCommand($"SET application_name = '{ListenerName}'; LISTEN {ClusterChanges.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }

        await connected().ConfigureAwait(false);
        while (true)
        {
            // A connection that died quietly (a server restart behind a proxy, a dropped route) never delivers
            // another notification and never fails a wait; a query every few idle seconds finds it out.
            if (!await connection.WaitAsync(ListenProbeInterval, cancellation).ConfigureAwait(false))
            {
                await using var probe = new NpgsqlCommand("SELECT 1", connection);
                await probe.ExecuteScalarAsync(cancellation).ConfigureAwait(false);
            }

            // Notifications arrive on this loop's own thread, inside the wait: handled after it, one by one.
            foreach (string payload in received.ToArray())
            {
                await topic(payload).ConfigureAwait(false);
            }

            received.Clear();
        }
    }

    public void Dispose() => _dataSource.Dispose();

    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellation) =>
        SerializeAsync(connection, transaction, MigrationLockKey, cancellation);

    public override Task SerializeAsync(DbConnection connection, DbTransaction transaction, long key, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key }, transaction, cancellationToken: cancellation));
}

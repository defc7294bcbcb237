using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Skillscope.Storage;

/// <summary>
/// Rows inserted into SQLite through one prepared single-row statement, bound by position on the
/// connection's native handle. Microsoft.Data.Sqlite binds each parameter by a name lookup and wraps
/// every call in handle bookkeeping, which made a parameterised ADO.NET command cost more
/// than SQLite's own work on an evidence import; this path binds the same values the same way.
/// </summary>
internal sealed class SqliteStatementInsert : IRowInserter
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private readonly int _columns;

    // The inserted column the tail returns, read from the row itself when a step changed one (SQLite's
    // RETURNING buffers every result); -1 when the tail returns something else.
    private readonly int _returnedColumn = -1;
    private byte[] _lastReturned = [];
    private byte[] _text = new byte[256];

    /// <summary>Rows of <paramref name="columns"/> into <paramref name="table"/>; <paramref name="tail"/> is what follows the VALUES list (the conflict clause and <c>RETURNING column</c>).</summary>
    public SqliteStatementInsert(DbConnection connection, string table, string[] columns, string tail)
    {
        _database = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        _columns = columns.Length;
        int returning = tail.LastIndexOf(" RETURNING ", StringComparison.OrdinalIgnoreCase);
        if (returning >= 0 && Array.IndexOf(columns, tail[(returning + " RETURNING ".Length)..].Trim()) is int column and >= 0)
        {
            (_returnedColumn, tail) = (column, tail[..returning]);
        }

        string sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", Enumerable.Repeat("?", columns.Length))}) {tail}";
        Check(raw.sqlite3_prepare_v2(_database, sql, out _statement));
    }

    public List<string> Written { get; } = [];

    public Task AddAsync(object?[] row, CancellationToken cancellation)
    {
        if (row.Length != _columns)
        {
            throw new ArgumentException($"{row.Length} values for {_columns} columns.", nameof(row));
        }

        for (int c = 0; c < row.Length; c++)
        {
            Bind(c + 1, row[c]);
        }

        try
        {
            int result;
            while ((result = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
                Written.Add(Returned());
            }

            Check(result == raw.SQLITE_DONE ? raw.SQLITE_OK : result);
            if (_returnedColumn >= 0 && raw.sqlite3_changes(_database) > 0)
            {
                Written.Add(Same(Convert.ToString(row[_returnedColumn], CultureInfo.InvariantCulture) ?? ""));
            }
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }

        return Task.CompletedTask;
    }

    public Task FlushAsync(CancellationToken cancellation) => Task.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _statement.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Binds as Microsoft.Data.Sqlite does, so a row keeps the same key whichever path wrote it.</summary>
    private void Bind(int index, object? value) => Check(value switch
    {
        null or DBNull => raw.sqlite3_bind_null(_statement, index),
        string text => BindText(index, text),
        long number => raw.sqlite3_bind_int64(_statement, index, number),
        int number => raw.sqlite3_bind_int64(_statement, index, number),
        double number => raw.sqlite3_bind_double(_statement, index, number),
        bool flag => raw.sqlite3_bind_int64(_statement, index, flag ? 1 : 0),
        byte[] bytes => raw.sqlite3_bind_blob(_statement, index, bytes),
        DateTime time => BindText(index, time.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"A {value.GetType().Name} cannot be bound here.", nameof(value)),
    });

    /// <summary>The RETURNING value, the same string as the last one when equal (rows of one student come together).</summary>
    private string Returned()
    {
        var bytes = raw.sqlite3_column_blob(_statement, 0);
        if (Written.Count > 0 && bytes.SequenceEqual(_lastReturned))
        {
            return Written[^1];
        }

        _lastReturned = bytes.ToArray();
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Text as UTF-8 from one reused buffer (SQLite copies it), instead of a new array or a UTF-16 conversion inside SQLite per value.</summary>
    private int BindText(int index, string text)
    {
        if (text.Length == 0)
        {
            // An empty span would reach SQLite as a null pointer, which binds NULL instead of ''.
            return raw.sqlite3_bind_text(_statement, index, "");
        }

        int length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_text.Length < length)
        {
            _text = new byte[Math.Max(length, _text.Length * 2)];
        }

        return raw.sqlite3_bind_text(_statement, index, _text.AsSpan(0, Encoding.UTF8.GetBytes(text, _text)));
    }

    private string Same(string value) => Written.Count > 0 && string.Equals(Written[^1], value, StringComparison.Ordinal) ? Written[^1] : value;

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _database);
        }
    }
}

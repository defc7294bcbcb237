using System.Globalization;
using System.Text;
using Npgsql;

namespace Skillscope.Storage;

/// <summary>
/// PostgreSQL's bulk path: rows stream through <c>COPY … FROM STDIN</c> (CSV). With a conflict clause they go
/// into a session-local staging table, then one <c>INSERT … SELECT</c> moves them into the table under it
/// (COPY cannot resolve conflicts itself); without one (rows the caller knows are new: no key stored, none
/// repeated) straight into the table, a fraction of the server's work per row (no second table, no
/// speculative insertion). Either way the server reads rows in one stream instead of binding hundreds of
/// parameters per statement.
/// </summary>
/// <remarks>
/// CSV text lets the server convert each value to its column's type. Null is an empty unquoted field;
/// strings are always quoted, so an empty string stays empty. On the staged path, rows repeating a key
/// reach one INSERT: the caller's clause must tolerate that (DO NOTHING does; DO UPDATE callers pass each
/// key once).
/// </remarks>
internal sealed class CopyInsert : IRowInserter
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly string _table;
    private readonly string _stage;
    private readonly string _columns;
    private readonly string? _tail;
    private readonly StringBuilder _line = new();
    private TextWriter? _copy;

    /// <summary>Rows into <paramref name="table"/> through a staging table and <paramref name="tail"/>, or straight into it when <paramref name="tail"/> is null.</summary>
    public CopyInsert(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, string[] columns, string? tail)
    {
        (_connection, _transaction, _table, _tail) = (connection, transaction, table, tail);
        _stage = tail is null ? table : $"stage_{table}";
        _columns = string.Join(", ", columns);
    }

    public List<string> Written { get; } = [];

    public async Task AddAsync(object?[] row, CancellationToken cancellation)
    {
        if (_copy is null)
        {
            if (_tail is not null)
            {
                await ExecuteAsync($"CREATE TEMP TABLE {_stage} ON COMMIT DROP AS SELECT {_columns} FROM {_table} WITH NO DATA", cancellation).ConfigureAwait(false);
            }

            _copy = await _connection.BeginTextImportAsync($"COPY {_stage} ({_columns}) FROM STDIN (FORMAT csv)", cancellation).ConfigureAwait(false);
        }

        _line.Clear();
        for (int c = 0; c < row.Length; c++)
        {
            if (c > 0)
            {
                _line.Append(',');
            }

            AppendField(_line, row[c]);
        }

        _line.Append('\n');
        await _copy.WriteAsync(_line, cancellation).ConfigureAwait(false);
    }

    public async Task FlushAsync(CancellationToken cancellation)
    {
        if (_copy is null)
        {
            return;
        }

        // Disposing the writer ends the COPY; the server has the rows once it returns.
        await _copy.DisposeAsync().ConfigureAwait(false);
        _copy = null;
        if (_tail is null)
        {
            return;
        }

        await using (var move = new NpgsqlCommand($"INSERT INTO {_table} ({_columns}) SELECT {_columns} FROM {_stage} {_tail}", _connection, _transaction))
        await using (var reader = await move.ExecuteReaderAsync(cancellation).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
            {
                Written.Add(reader.GetString(0));
            }
        }

        // Dropped now rather than at commit, so that the same transaction can stage this table again.
        await ExecuteAsync($"DROP TABLE {_stage}", cancellation).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_copy is not null)
        {
            // Not flushed (an error on the way): end the COPY; the caller's transaction is rolled back anyway.
            await _copy.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, _connection, _transaction);
        await command.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    private static void AppendField(StringBuilder line, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                break;
            case string text:
                line.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
                break;
            case byte[] bytes:
                // bytea's hex input form; backslashes mean nothing to COPY's CSV format.
                line.Append("\\x").Append(Convert.ToHexString(bytes));
                break;
            case DateTime at:
                line.Append(at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
                break;
            case double number:
                line.Append(number.ToString("R", CultureInfo.InvariantCulture));
                break;
            case float number:
                line.Append(number.ToString("R", CultureInfo.InvariantCulture));
                break;
            case IFormattable number:
                line.Append(number.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                throw new ArgumentException($"no COPY text for a {value.GetType().Name} value");
        }
    }
}

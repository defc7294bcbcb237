using System.Data.Common;
using System.Text;

namespace Skillscope.Storage;

/// <summary>
/// Rows inserted several to a statement (<see cref="SqlDialect.RowsPerInsert"/>): one round trip per
/// batch instead of one per row, which is what an import into PostgreSQL over TCP spent its time on
/// (about 10,600 evidence rows/s row by row).
/// The statement's conflict clause decides what an existing key does; its RETURNING column tells the
/// caller which rows were written. The full-batch statement is built once and reused.
/// </summary>
internal sealed class BatchInsert : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly string _table;
    private readonly string[] _columns;
    private readonly string _tail;
    private readonly int _rowsPerStatement;
    private readonly List<object?[]> _pending;
    private DbCommand? _full;

    /// <summary>Rows of <paramref name="columns"/> into <paramref name="table"/>; <paramref name="tail"/> is what follows the VALUES list (the conflict clause and <c>RETURNING column</c>).</summary>
    public BatchInsert(SqlDialect dialect, DbConnection connection, DbTransaction transaction, string table, string[] columns, string tail)
    {
        (_connection, _transaction, _table, _columns, _tail) = (connection, transaction, table, columns, tail);
        _rowsPerStatement = dialect.RowsPerInsert;
        _pending = new List<object?[]>(_rowsPerStatement);
    }

    /// <summary>The RETURNING values of every row written so far.</summary>
    public List<string> Written { get; } = [];

    public async Task AddAsync(object?[] row, CancellationToken cancellation)
    {
        _pending.Add(row);
        if (_pending.Count == _rowsPerStatement)
        {
            _full ??= Build(_rowsPerStatement);
            await RunAsync(_full, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the rows still pending.</summary>
    public async Task FlushAsync(CancellationToken cancellation)
    {
        if (_pending.Count > 0)
        {
            await using var last = Build(_pending.Count);
            await RunAsync(last, cancellation).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_full is not null)
        {
            await _full.DisposeAsync().ConfigureAwait(false);
        }
    }

    private DbCommand Build(int rows)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        var sql = new StringBuilder($"INSERT INTO {_table} ({string.Join(", ", _columns)}) VALUES ");
        for (int r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (int c = 0; c < _columns.Length; c++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"p{r}_{c}";
                command.Parameters.Add(parameter);
                sql.Append(c == 0 ? "@" : ", @").Append(parameter.ParameterName);
            }

            sql.Append(')');
        }

        command.CommandText = sql.Append(' ').Append(_tail).ToString();
        return command;
    }

    private async Task RunAsync(DbCommand command, CancellationToken cancellation)
    {
        for (int r = 0; r < _pending.Count; r++)
        {
            for (int c = 0; c < _columns.Length; c++)
            {
                command.Parameters[(r * _columns.Length) + c].Value = _pending[r][c] ?? DBNull.Value;
            }
        }

        _pending.Clear();
        await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            Written.Add(reader.GetString(0));
        }
    }
}

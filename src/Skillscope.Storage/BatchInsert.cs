using System.Data.Common;
using System.Text;

namespace Skillscope.Storage;

/// <summary>
/// Rows inserted a fixed number to a parameterised INSERT statement, the full-batch statement built once
/// and reused. The statement's conflict clause decides what an existing key does; its RETURNING column
/// tells the caller which rows were written.
/// </summary>
internal sealed class BatchInsert : IRowInserter
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
    public BatchInsert(DbConnection connection, DbTransaction transaction, string table, string[] columns, string tail, int rowsPerStatement)
    {
        (_connection, _transaction, _table, _columns, _tail) = (connection, transaction, table, columns, tail);
        _rowsPerStatement = rowsPerStatement;
        _pending = new List<object?[]>(_rowsPerStatement);
    }

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
                parameter.ParameterName = $"@p{r}_{c}";
                command.Parameters.Add(parameter);
                sql.Append(c == 0 ? "" : ", ").Append(parameter.ParameterName);
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

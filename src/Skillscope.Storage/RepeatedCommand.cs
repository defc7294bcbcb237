using System.Data.Common;

namespace Skillscope.Storage;

/// <summary>
/// One statement run many times in a transaction with new parameter values each time: built once
/// (SQLite keeps the compiled statement of a reused command), so bulk writes such as a night's
/// assessments do not pay for building and parsing per row.
/// </summary>
internal sealed class RepeatedCommand : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;

    public RepeatedCommand(DbConnection connection, DbTransaction transaction, string sql, params string[] parameterNames)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        _parameters = new DbParameter[parameterNames.Length];
        for (int i = 0; i < parameterNames.Length; i++)
        {
            var parameter = _command.CreateParameter();
            // Named with the prefix the SQL uses: Microsoft.Data.Sqlite otherwise looks a bare name up three
            // times (as given, with ':', then with '@'), each a scan of the statement's parameters.
            parameter.ParameterName = "@" + parameterNames[i];
            _command.Parameters.Add(parameter);
            _parameters[i] = parameter;
        }
    }

    public async Task<int> ExecuteAsync(CancellationToken cancellation, params object?[] values)
    {
        Bind(values);
        return await _command.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    public async Task<object?> ScalarAsync(CancellationToken cancellation, params object?[] values)
    {
        Bind(values);
        return await _command.ExecuteScalarAsync(cancellation).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();

    private void Bind(object?[] values)
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}

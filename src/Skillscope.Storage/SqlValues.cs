using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Skillscope.Storage;

/// <summary>Reading rows the same way from SQLite and PostgreSQL.</summary>
internal static class SqlValues
{
    /// <summary>UTC timestamps: PostgreSQL returns them typed, SQLite as text.</summary>
    public static DateTime Timestamp(DbDataReader reader, int column) => reader.GetValue(column) switch
    {
        DateTime value => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        DateTimeOffset value => value.UtcDateTime,
        var value => DateTime.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
    };

    public static DateTime? NullableTimestamp(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : Timestamp(reader, column);

    public static string? NullableString(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    /// <summary>Integers: SQLite gives Int64, PostgreSQL the column's type.</summary>
    public static long Int64(DbDataReader reader, int column) => Convert.ToInt64(reader.GetValue(column), CultureInfo.InvariantCulture);

    public static double Double(DbDataReader reader, int column) => Convert.ToDouble(reader.GetValue(column), CultureInfo.InvariantCulture);

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(this SqlDialect dialect, string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken cancellation)
    {
        await using var connection = dialect.Open();
        return await connection.QueryAsync(null, sql, parameters, map, cancellation).ConfigureAwait(false);
    }

    public static async Task<IReadOnlyList<T>> QueryAsync<T>(this DbConnection connection, DbTransaction? transaction, string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken cancellation)
    {
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        var results = new List<T>();
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            results.Add(map(reader));
        }

        return results;
    }
}

using Npgsql;

namespace Skillscope.Testing;

/// <summary>A new, empty database on the test PostgreSQL server (<see cref="TestPostgres"/>), dropped afterwards.</summary>
public sealed class ScratchPostgresDatabase : IAsyncDisposable
{
    private readonly string _name;

    private ScratchPostgresDatabase(string name, string connectionString)
    {
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <param name="prefix">The database name's start (a test's own, so a leftover says where it came from).</param>
    /// <param name="pooling">Whether connections to it are pooled.</param>
    public static async Task<ScratchPostgresDatabase> CreateAsync(string prefix, bool pooling = true)
    {
        string admin = TestPostgres.Required;
        string name = $"{prefix}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new ScratchPostgresDatabase(name, new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = pooling }.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(TestPostgres.Required);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

using Npgsql;

namespace Skillscope.Server.Tests;

/// <summary>A new, empty database on the test PostgreSQL server (<c>SKILLSCOPE_TEST_POSTGRES</c>), dropped afterwards.</summary>
public sealed class ScratchPostgresDatabase : IAsyncDisposable
{
    private readonly string _name;

    private ScratchPostgresDatabase(string name, string connectionString)
    {
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ScratchPostgresDatabase> CreateAsync(string prefix)
    {
        var admin = RequiresPostgresFactAttribute.ConnectionString
            ?? throw new InvalidOperationException("SKILLSCOPE_TEST_POSTGRES is not set: under CI=true, .ci/run must start the PostgreSQL cluster");
        string name = $"{prefix}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new ScratchPostgresDatabase(name, new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(RequiresPostgresFactAttribute.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

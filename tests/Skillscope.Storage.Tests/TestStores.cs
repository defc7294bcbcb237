using Npgsql;
using Skillscope.Scoring.Registry;

namespace Skillscope.Storage.Tests;

/// <summary>A fresh, migrated store of either kind: a temporary SQLite file, or a new PostgreSQL database.</summary>
public sealed class TestStores : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly string? _database;

    private TestStores(SqlRegistryStore store, string? directory, string? database, string? connectionString)
    {
        Store = store;
        _directory = directory;
        _database = database;
        ConnectionString = connectionString;
    }

    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("SKILLSCOPE_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public SqlRegistryStore Store { get; }

    /// <summary>The PostgreSQL connection string of this store's database (null for SQLite).</summary>
    public string? ConnectionString { get; }

    /// <summary>A temporary directory for model stores and SQLite files (deleted afterwards).</summary>
    public string Directory => _directory ?? throw new InvalidOperationException("no directory");

    public static async Task<TestStores> CreateAsync(string kind)
    {
        var directory = Path.Combine(Path.GetTempPath(), "skillscope-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        if (kind == "sqlite")
        {
            var sqlite = SqlRegistryStore.Sqlite(Path.Combine(directory, "skillscope.db"));
            await sqlite.MigrateAsync();
            return new TestStores(sqlite, directory, null, null);
        }

        var admin = PostgresConnectionString
            ?? throw new InvalidOperationException("SKILLSCOPE_TEST_POSTGRES is not set: under CI=true, .ci/run must start the PostgreSQL cluster");
        string database = $"skillscope_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database, Pooling = false }.ToString();
        var store = SqlRegistryStore.Postgres(connectionString);
        await store.MigrateAsync();
        return new TestStores(store, directory, database, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        if (_database is not null)
        {
            await using var connection = new NpgsqlConnection(PostgresConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(_directory, recursive: true);
        }
    }

    public IRegistryStore AsRegistry() => Store;
}

using Skillscope.Scoring.Registry;
using Skillscope.Testing;

namespace Skillscope.Storage.Tests;

/// <summary>A fresh, migrated store of either kind: a temporary SQLite file, or a new PostgreSQL database.</summary>
public sealed class TestStores : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly ScratchPostgresDatabase? _database;

    private TestStores(SqlRegistryStore store, string? directory, ScratchPostgresDatabase? database, string? connectionString)
    {
        Store = store;
        _directory = directory;
        _database = database;
        ConnectionString = connectionString;
    }

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

        var database = await ScratchPostgresDatabase.CreateAsync("skillscope_test", pooling: false);
        var store = SqlRegistryStore.Postgres(database.ConnectionString);
        await store.MigrateAsync();
        return new TestStores(store, directory, database, database.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            System.IO.Directory.Delete(_directory, recursive: true);
        }
    }

    public IRegistryStore AsRegistry() => Store;
}

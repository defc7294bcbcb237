using Skillscope.Storage;

namespace Skillscope.Server.Hosting;

/// <summary>Opens the registry store the options name: PostgreSQL by connection string, else the SQLite file.</summary>
public static class StoreFactory
{
    public static async Task<SqlRegistryStore> OpenAsync(ServerOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDirectory);
        var store = options.DatabaseConnectionString is { Length: > 0 } connectionString
            ? SqlRegistryStore.Postgres(connectionString)
            : SqlRegistryStore.Sqlite(options.SqlitePath);
        try
        {
            await store.MigrateAsync(cancellation).ConfigureAwait(false);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }
}

using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Scoring.Tests;
using Skillscope.Server.Hosting;
using Skillscope.Server.Security;
using Skillscope.Testing;

namespace Skillscope.Server.Tests;

/// <summary>
/// The real host (<see cref="ServedHost"/>) over a fresh SQLite data directory, with two registered
/// versions of <c>lead_conversion</c> (1.0.0 in production) and an admin and a service key.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly ServedHost _host;
    private readonly string _directory;
    private readonly bool _ownsDirectory;

    private RunningServer(ServedHost host, string directory, bool ownsDirectory, string serviceKey, string adminKey)
    {
        _host = host;
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        ServiceKey = serviceKey;
        AdminKey = adminKey;
    }

    public Uri Address => _host.Address;

    public string ServiceKey { get; }

    public string AdminKey { get; }

    public ModelRegistry Registry => _host.Services.GetRequiredService<ModelRegistry>();

    public ModelHost Host => _host.Host;

    public IRegistryStore Store => _host.Store;

    /// <summary>One of the server's services.</summary>
    public T Service<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>The alert rules, states, deliveries and webhook credentials the server keeps.</summary>
    public Skillscope.Scoring.Alerts.IAlertStore Alerts => _host.Services.GetRequiredService<Skillscope.Scoring.Alerts.IAlertStore>();

    public string DataDirectory => _directory;

    public static async Task<RunningServer> StartAsync(
        IDictionary<string, string?>? settings = null, bool promote = true, string? settingsFile = null, Action<IServiceCollection>? services = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "skillscope-tests", Guid.NewGuid().ToString("N"));
        if (settingsFile is not null)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, ServerOptions.SettingsFile), settingsFile);
        }

        string serviceKey, adminKey;
        var options = new ServerOptions(directory);
        using (var store = await StoreFactory.OpenAsync(options))
        {
            var registry = new ModelRegistry(store, options.ModelStoreDirectory);
            await registry.RegisterAsync(TestModels.Package(version: "1.0.0", seed: 1), "test");
            await registry.RegisterAsync(TestModels.Package(version: "2.0.0", seed: 7), "test");
            if (promote)
            {
                await registry.PromoteAsync("lead_conversion", "1.0.0", "test");
            }

            (_, serviceKey) = await ApiKeys.CreateAsync(store, Roles.Service, "tests", "test");
            (_, adminKey) = await ApiKeys.CreateAsync(store, Roles.Admin, "tests-admin", "test");
        }

        try
        {
            var host = await ServedHost.StartAsync(directory, null, settings, services);
            return new RunningServer(host, directory, ownsDirectory: true, serviceKey, adminKey);
        }
        catch
        {
            // A host that refuses its settings leaves nothing behind.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// A second host over the same data directory and database, with the same keys (as a replica); it
    /// leaves the directory to this server to delete.
    /// </summary>
    public async Task<RunningServer> StartReplicaAsync(IDictionary<string, string?>? settings = null) =>
        new(await ServedHost.StartAsync(_directory, null, settings, null), _directory, ownsDirectory: false, ServiceKey, AdminKey);

    /// <summary>Stops the host as Ctrl+C would: no new connections, in-flight requests finish.</summary>
    public Task StopAsync() => _host.StopAsync();

    public HttpClient Client(string? key = null) => _host.Client(key);

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        if (_ownsDirectory)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

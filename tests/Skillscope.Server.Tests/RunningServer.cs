using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Scoring.Tests;
using Skillscope.Server.Hosting;
using Skillscope.Server.Security;
using Skillscope.Storage;

namespace Skillscope.Server.Tests;

/// <summary>
/// The real host on a free 127.0.0.1 port over a fresh SQLite data directory, with two registered
/// versions of <c>lead_conversion</c> (1.0.0 in production) and an admin and a service key.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SqlRegistryStore _store;
    private readonly string _directory;
    private readonly bool _ownsDirectory;

    private RunningServer(WebApplication app, SqlRegistryStore store, string directory, bool ownsDirectory, Uri address, string serviceKey, string adminKey)
    {
        _app = app;
        _store = store;
        _directory = directory;
        _ownsDirectory = ownsDirectory;
        Address = address;
        ServiceKey = serviceKey;
        AdminKey = adminKey;
    }

    public Uri Address { get; }

    public string ServiceKey { get; }

    public string AdminKey { get; }

    public ModelRegistry Registry => _app.Services.GetRequiredService<ModelRegistry>();

    public ModelHost Host => _app.Services.GetRequiredService<ModelHost>();

    public IRegistryStore Store => _store;

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

        var options = new ServerOptions(directory);
        var store = await StoreFactory.OpenAsync(options);
        var registry = new ModelRegistry(store, options.ModelStoreDirectory);
        await registry.RegisterAsync(TestModels.Package(version: "1.0.0", seed: 1), "test");
        await registry.RegisterAsync(TestModels.Package(version: "2.0.0", seed: 7), "test");
        if (promote)
        {
            await registry.PromoteAsync("lead_conversion", "1.0.0", "test");
        }

        var (_, serviceKey) = await ApiKeys.CreateAsync(store, Roles.Service, "tests", "test");
        var (_, adminKey) = await ApiKeys.CreateAsync(store, Roles.Admin, "tests-admin", "test");
        WebApplication app;
        try
        {
            app = await StartAppAsync(options, store, settings, services);
        }
        catch
        {
            // A host that refuses its settings leaves nothing behind.
            store.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, store, directory, ownsDirectory: true, new Uri(address), serviceKey, adminKey);
    }

    /// <summary>
    /// A second host over the same data directory and database, with the same keys (as a replica); it
    /// leaves the directory to this server to delete.
    /// </summary>
    public async Task<RunningServer> StartReplicaAsync(IDictionary<string, string?>? settings = null)
    {
        var options = new ServerOptions(_directory);
        var store = await StoreFactory.OpenAsync(options);
        var app = await StartAppAsync(options, store, settings, null);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, store, _directory, ownsDirectory: false, new Uri(address), ServiceKey, AdminKey);
    }

    private static async Task<WebApplication> StartAppAsync(ServerOptions options, SqlRegistryStore store, IDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        var app = SkillscopeServer.Create(options, store, ["--urls", "http://127.0.0.1:0"], builder =>
        {
            // No nightly job in tests (one would appear whenever a run crosses 02:00 UTC), and no retention
            // at start (fixtures with fixed dates would lose their transcripts as the calendar moves on).
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Batch:Schedule"] = "off", ["Retention:TranscriptDays"] = "0" });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            services?.Invoke(builder.Services);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // Settings are checked as the host starts: one that refuses them leaves no services behind.
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>Stops the host as Ctrl+C would: no new connections, in-flight requests finish.</summary>
    public Task StopAsync() => _app.StopAsync();

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _store.Dispose();
        if (_ownsDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }
}

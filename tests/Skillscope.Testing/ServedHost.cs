using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Skillscope.Scoring.Serving;
using Skillscope.Server;
using Skillscope.Server.Hosting;
using Skillscope.Storage;

namespace Skillscope.Testing;

/// <summary>
/// The real host over a data directory, on a free 127.0.0.1 port, built as <c>skillscope serve</c> builds
/// it: the one way tests start a server in process. It owns the store it opens, not the directory.
/// </summary>
public sealed class ServedHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SqlRegistryStore _store;

    private ServedHost(WebApplication app, SqlRegistryStore store, Uri address)
    {
        _app = app;
        _store = store;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public SqlRegistryStore Store => _store;

    /// <summary>The models the host serves.</summary>
    public ModelHost Host => _app.Services.GetRequiredService<ModelHost>();

    /// <summary>Every route the host answers (API, dashboard pages and form posts), as routing knows them.</summary>
    public IReadOnlyList<RouteEndpoint> Routes => [.. _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    /// <param name="dataDirectory">The data directory (and, by its settings, the database).</param>
    /// <param name="arguments">Settings as command-line arguments (<c>--Dashboard:SessionHours=0.001</c>), as <c>serve</c> takes them.</param>
    public static Task<ServedHost> StartAsync(string dataDirectory, params string[] arguments) => StartAsync(dataDirectory, arguments, null, null);

    /// <param name="dataDirectory">The data directory (and, by its settings, the database).</param>
    /// <param name="arguments">Settings as command-line arguments.</param>
    /// <param name="settings">More settings, above every other source.</param>
    /// <param name="services">Changes to the host's services (a fake clock, a test double of an outside system).</param>
    public static async Task<ServedHost> StartAsync(string dataDirectory, IEnumerable<string>? arguments, IDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        var options = new ServerOptions(dataDirectory);
        var store = await StoreFactory.OpenAsync(options);
        WebApplication? app = null;
        try
        {
            // No nightly job in tests (one would appear whenever a run crosses 02:00 UTC), and no retention at
            // start (fixtures with fixed dates would lose their transcripts as the calendar moves on); a
            // test's own arguments come after these and may turn either back on.
            app = SkillscopeServer.Create(options, store, ["--urls", "http://127.0.0.1:0", "--Batch:Schedule=off", "--Retention:TranscriptDays=0", .. arguments ?? []], builder =>
            {
                if (settings is not null)
                {
                    builder.Configuration.AddInMemoryCollection(settings);
                }

                services?.Invoke(builder.Services);
            });
            await app.StartAsync();
        }
        catch
        {
            // A host that refuses its settings leaves nothing open behind it.
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            store.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServedHost(app, store, new Uri(address));
    }

    /// <summary>A client of this host, sending <paramref name="key"/> as its bearer token when given.</summary>
    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Stops the host as Ctrl+C would: no new connections, in-flight requests finish.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}

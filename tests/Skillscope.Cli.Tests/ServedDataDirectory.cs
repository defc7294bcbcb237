using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Skillscope.Server;
using Skillscope.Server.Hosting;
using Skillscope.Storage;

namespace Skillscope.Cli.Tests;

/// <summary>The real host over a data directory the CLI prepared, on a free 127.0.0.1 port, as `skillscope serve` runs it.</summary>
internal sealed class ServedDataDirectory : IAsyncDisposable
{
    private readonly SqlRegistryStore _store;
    private readonly WebApplication _app;

    private ServedDataDirectory(SqlRegistryStore store, WebApplication app, Uri address)
    {
        _store = store;
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Every route the host answers (API, dashboard pages and form posts), as routing knows them.</summary>
    public IReadOnlyList<Microsoft.AspNetCore.Routing.RouteEndpoint> Routes =>
        [.. _app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints.OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()];

    /// <summary>The models the host serves.</summary>
    public Skillscope.Scoring.Serving.ModelHost Host => _app.Services.GetRequiredService<Skillscope.Scoring.Serving.ModelHost>();

    /// <param name="dataDirectory">What the CLI prepared.</param>
    /// <param name="settings">More settings, as command-line arguments (<c>--Dashboard:SessionHours=0.001</c>).</param>
    public static async Task<ServedDataDirectory> StartAsync(string dataDirectory, params string[] settings)
    {
        var options = new ServerOptions(dataDirectory);
        var store = await StoreFactory.OpenAsync(options);
        // No nightly job in tests (one would appear whenever a run crosses 02:00 UTC), and no retention at
        // start (the tests decide when transcripts age out).
        var app = SkillscopeServer.Create(options, store, ["--urls", "http://127.0.0.1:0", "--Batch:Schedule=off", "--Retention:TranscriptDays=0", .. settings]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServedDataDirectory(store, app, new Uri(address));
    }

    /// <summary>A client that sends <paramref name="key"/> as its bearer token.</summary>
    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}

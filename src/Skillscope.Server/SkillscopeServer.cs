using Skillscope.Assessment.Fusion;
using Skillscope.Server.Dashboard;
using Skillscope.Server.Endpoints;
using Skillscope.Server.Hosting;
using Skillscope.Server.Http;
using Skillscope.Server.Security;
using Skillscope.Server.Telemetry;
using Skillscope.Storage;

namespace Skillscope.Server;

/// <summary>Builds the HTTP host: API, authentication, rate limits, health, OpenAPI, telemetry, JSON logs, the dashboard.</summary>
public static class SkillscopeServer
{
    /// <summary>Request bodies above this are refused with 413 (model uploads have their own, larger limit).</summary>
    public const long MaxRequestBytes = 4L << 20;

    /// <summary>
    /// Creates the application over an opened, migrated store; the caller runs it. <paramref name="configure"/>
    /// runs first, so configuration it adds (e.g. <c>RateLimit:PermitsPerSecond</c>) is seen.
    /// </summary>
    /// <exception cref="FormatException">A setting read while building cannot be used; the message names it.</exception>
    public static WebApplication Create(ServerOptions options, SqlRegistryStore store, string[]? args = null, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [], ContentRootPath = AppContext.BaseDirectory });
        builder.AddDataDirectorySettings(options);
        configure?.Invoke(builder);
        builder.AddJsonLogs();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBytes);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.AddSkillscopeCore(options, store);
        builder.Services.AddWorkers();
        builder.Services.AddSingleton<ServerMetrics>();
        builder.AddTelemetry();
        builder.AddApiSecurity(store);
        builder.Services.AddApiDocumentation();
        builder.AddRateLimits();
        var crm = builder.AddCrmContract();
        builder.AddDashboard();

        var app = builder.Build();
        app.UseSkillscopePipeline(cors: crm.Enabled);
        app.MapApi(crm);
        app.MapDashboard();

        // Opened before the first request: a fusion weights file that cannot be applied stops the start here,
        // with its reason, rather than at the first assessment (a reasoning setting that cannot work, e.g.
        // Reasoning:Mode=required without a key, stopped it as the services were added).
        _ = app.Services.GetRequiredService<IFusionWeightsSource>();
        _ = app.Services.GetRequiredService<Skillscope.Assessment.Reasoning.LlmFeedbackWriter>();
        return app;
    }

    /// <summary>Settings kept with the data (<c>skillscope.json</c>), below environment variables and the command line.</summary>
    private static void AddDataDirectorySettings(this WebApplicationBuilder builder, ServerOptions options)
    {
        var settings = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = Path.GetFullPath(Path.Combine(options.DataDirectory, ServerOptions.SettingsFile)),
            Optional = true,
            ReloadOnChange = false,
        };
        settings.ResolveFileProvider();
        builder.Configuration.Sources.Insert(0, settings);
    }
}

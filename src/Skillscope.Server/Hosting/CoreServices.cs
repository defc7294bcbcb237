using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Alerting;
using Skillscope.Server.Endpoints;
using Skillscope.Server.Eventing;
using Skillscope.Server.Learning;
using Skillscope.Storage;

namespace Skillscope.Server.Hosting;

/// <summary>The layers below the host, as services: the store, the registry and model host, the assessment pipeline, validated settings, and the workers.</summary>
internal static class CoreServices
{
    public static void AddSkillscopeCore(this WebApplicationBuilder builder, ServerOptions options, SqlRegistryStore store)
    {
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(store);
        services.AddSingleton<IRegistryStore>(store);
        services.AddSingleton<IFeatureStore>(store);
        services.AddSingleton(provider => new ModelRegistry(provider.GetRequiredService<IRegistryStore>(), options.ModelStoreDirectory));
        services.AddSingleton(store.Monitoring);
        services.AddSingleton(provider => new ModelMonitor(provider.GetRequiredService<IMonitoringStore>(),
            provider.GetRequiredService<IOptions<MonitoringOptions>>().Value.ReferenceRows, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new ModelHost(provider.GetRequiredService<IRegistryStore>(), options.ModelStoreDirectory, provider.GetRequiredService<IMeterFactory>(),
            provider.GetRequiredService<IOptions<MonitoringOptions>>().Value.Enabled ? provider.GetRequiredService<ModelMonitor>() : null));
        services.AddAssessment(options, store, builder.Configuration);
        services.TryAddSingleton(TimeProvider.System);

        services.AddSettings<BatchOptions>(BatchOptions.Section);
        services.AddSettings<RetentionOptions>(RetentionOptions.Section);
        services.AddSettings<AssessmentApiOptions>(AssessmentApiOptions.Section);
        services.AddSettings<MonitoringOptions>(MonitoringOptions.Section);
        services.AddAlerting(store);
        services.AddEvents(store);
        services.AddLearning(options, store, builder.Configuration);
        services.AddHostedService<DistrictsRefresher>();

        // Read while the host is built: a schedule that cannot work stops the start, named.
        services.AddSingleton(NightlySchedule.From(builder.Configuration));
    }

    public static void AddWorkers(this IServiceCollection services)
    {
        services.AddSingleton<AssessmentJobWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<AssessmentJobWorker>());
        services.AddHostedService<CatalogRefresher>();
        services.AddHostedService<ClusterChangeListener>();
        services.AddHostedService<RetentionWorker>();
        services.AddHostedService<IdleMemoryTrimmer>();
        services.AddHostedService<MonitoringFlusher>();
        services.AddHostedService<ShadowWorker>();
    }
}

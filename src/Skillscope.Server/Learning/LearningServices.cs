using Microsoft.Extensions.Options;
using Skillscope.Assessment.Skills;
using Skillscope.Server.Hosting;
using Skillscope.Storage;

namespace Skillscope.Server.Learning;

/// <summary>Retraining in the host: its settings (a schedule that cannot work stops the start), the retrainer and the scheduled worker.</summary>
internal static class LearningServices
{
    public static void AddLearning(this IServiceCollection services, ServerOptions options, SqlRegistryStore store, IConfiguration configuration)
    {
        services.AddSettings<TrainingOptions>(TrainingOptions.Section);
        var training = configuration.GetSection(TrainingOptions.Section).Get<TrainingOptions>() ?? new TrainingOptions();
        if (!training.Schedule.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            _ = CronSchedule.Parse(training.Schedule, training.TimeZone, TrainingOptions.Section);
        }

        services.AddSingleton(store.Assessments.RetrainRuns);
        services.AddSingleton(provider => new Retrainer(store, options, provider.GetRequiredService<SkillCatalog>(),
            provider.GetRequiredService<IOptions<TrainingOptions>>().Value, provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<RetrainWorker>();
        services.AddSingleton(store.Rollouts);
        services.AddSingleton(provider => new RolloutAdvancer(provider.GetRequiredService<Skillscope.Scoring.Registry.IRolloutStore>(),
            provider.GetRequiredService<Skillscope.Scoring.Registry.IRegistryStore>(), provider.GetRequiredService<Skillscope.Scoring.Registry.ModelRegistry>(),
            provider.GetRequiredService<Skillscope.Scoring.Monitoring.ModelMonitor>(), provider.GetRequiredService<IOptions<TrainingOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<RolloutWorker>();
    }
}

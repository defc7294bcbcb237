using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Inference;
using Skillscope.Assessment.Privacy;
using Skillscope.Assessment.Reasoning;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Settings;
using Skillscope.Assessment.Skills;
using Skillscope.Scoring.Registry;
using Skillscope.Storage;

namespace Skillscope.Server.Hosting;

/// <summary>
/// The assessment pipeline over one data directory and database, as services: each store by the consumer
/// it serves, the live fusion weights, LLM feedback, inference, the assessor and the importer. The host
/// adds them to its container; the command line builds a container of them alone (<see cref="Open"/>).
/// </summary>
public static class AssessmentServices
{
    /// <param name="services">The container to fill.</param>
    /// <param name="options">The data directory and database.</param>
    /// <param name="store">The opened, migrated store.</param>
    /// <param name="configuration">Where reasoning settings are read from.</param>
    /// <exception cref="ReasoningConfigurationException">A reasoning setting cannot work: checked here, before anything is opened.</exception>
    public static IServiceCollection AddAssessment(this IServiceCollection services, ServerOptions options, SqlRegistryStore store, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        var reasoning = ReasoningSettings.Read(configuration);
        reasoning.Validate();
        var tables = store.Assessments;
        services.TryAddSingleton(SkillCatalog.Default);
        services.AddSingleton(tables.Evidence);
        services.AddSingleton(tables.Inputs);
        services.AddSingleton(tables.Records);
        services.AddSingleton(tables.Jobs);
        services.AddSingleton(tables.Roster);
        services.AddSingleton(tables.Privacy);
        services.AddSingleton(tables.AccuracyFeedback);
        services.AddSingleton(tables.Monitor);
        services.AddSingleton(tables.Audit);
        services.AddSingleton(tables.Users);
        services.AddSingleton(tables.FeedbackCache);
        services.AddSingleton(tables.Exports);
        services.AddSingleton(tables.Histories);
        services.AddSingleton(tables.Cohorts);
        services.AddSingleton(tables.FusionProposals);
        services.AddSingleton(provider => new DistrictFusionWeights(tables.DistrictFusionWeights, provider.GetRequiredService<SkillCatalog>()));
        services.AddSingleton(new DistrictSettingsBook(tables.DistrictSettings));
        services.AddSingleton(provider => OpenFusionWeights(options, store, provider.GetRequiredService<SkillCatalog>(), provider.GetRequiredService<IAuditLog>()));
        services.AddSingleton(provider => new LlmFeedbackWriter(reasoning, provider.GetRequiredService<IFeedbackCache>(),
            budget: store.SharedLlmCallBudget(reasoning.CallsPerMinute, reasoning.CallsPerHour), meters: provider.GetService<IMeterFactory>(), districtUsage: tables.DistrictLlmUsage));
        services.AddSingleton(provider => new SkillInference(provider.GetRequiredService<SkillCatalog>()));
        services.AddSingleton(provider =>
        {
            var fusion = provider.GetRequiredService<IFusionWeightsSource>();
            return new StudentAssessor(provider.GetRequiredService<SkillInference>(), () => fusion.Current, feedback: provider.GetRequiredService<LlmFeedbackWriter>(),
                districts: provider.GetRequiredService<DistrictFusionWeights>(), settings: provider.GetRequiredService<DistrictSettingsBook>());
        });
        services.AddSingleton<StudentAssessmentService>();
        services.AddSingleton<EvidenceImporter>();
        services.AddSingleton<TranscriptRetention>();
        services.AddSettings<Reports.ReportOptions>(Reports.ReportOptions.Section);
        services.AddSingleton<Reports.StudentReportBuilder>();
        return services;
    }

    /// <summary>
    /// The command line's container: the same services over the data directory's settings file and the
    /// environment variables, as <c>serve</c> reads them. The caller disposes it; the store stays open.
    /// </summary>
    public static ServiceProvider Open(ServerOptions options, SqlRegistryStore store, SkillCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var services = new ServiceCollection();
        if (catalog is not null)
        {
            services.AddSingleton(catalog);
        }

        var provider = services.AddAssessment(options, store, CommandLineSettings(options)).BuildServiceProvider();

        // Opened now, as the host opens them at start: a weights file that cannot be applied stops the command with its reason.
        _ = provider.GetRequiredService<IFusionWeightsSource>();
        _ = provider.GetRequiredService<LlmFeedbackWriter>();

        // Districts' own weights and settings as they are now: a command runs for minutes at most, and reads them once.
        provider.GetRequiredService<DistrictFusionWeights>().RefreshAsync().GetAwaiter().GetResult();
        provider.GetRequiredService<DistrictSettingsBook>().RefreshAsync().GetAwaiter().GetResult();
        return provider;
    }

    /// <summary>The settings a command reads, as <c>serve</c> reads them: the data directory's settings file, then the environment variables.</summary>
    internal static IConfiguration CommandLineSettings(ServerOptions options) => new ConfigurationBuilder()
        .AddJsonFile(Path.GetFullPath(Path.Combine(options.DataDirectory, ServerOptions.SettingsFile)), optional: true, reloadOnChange: false)
        .AddEnvironmentVariables()
        .Build();

    private static IFusionWeightsSource OpenFusionWeights(ServerOptions options, SqlRegistryStore store, SkillCatalog catalog, IAuditLog audit)
    {
        if (!store.SharedByReplicas)
        {
            return FusionWeightsFile.Open(options.FusionWeightsPath, catalog, audit.AuditAsync);
        }

        // A first start on a shared database takes this machine's file as version one, if it has one, so
        // moving a single machine to PostgreSQL keeps its weights. Opened at start, before any request:
        // blocking here holds up nothing.
        return FusionWeightsTable.OpenAsync(store.FusionWeights, catalog, () => File.Exists(options.FusionWeightsPath)
            ? FusionWeights.Parse(File.ReadAllText(options.FusionWeightsPath), catalog)
            : FusionWeights.Default(catalog)).GetAwaiter().GetResult();
    }
}

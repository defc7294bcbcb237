using System.Diagnostics.Metrics;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Inference;
using Skillscope.Assessment.Reasoning;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Skills;
using Skillscope.Storage;

namespace Skillscope.Server.Hosting;

/// <summary>
/// The assessment pipeline over one data directory and database, as both the host and the command
/// line use it: the store, the live fusion weights, inference, the assessor and the importer.
/// </summary>
public sealed class AssessmentServices : IDisposable
{
    /// <param name="options">The data directory and database.</param>
    /// <param name="store">The opened, migrated store.</param>
    /// <param name="catalog">The skills (default: the seven of the spec).</param>
    /// <param name="configuration">
    /// The host's configuration; without one (the command line), the data directory's settings file and
    /// the environment variables, as <c>serve</c> reads them.
    /// </param>
    /// <param name="meters">The host's meter factory (none: the command line, whose instruments nobody reads).</param>
    public AssessmentServices(ServerOptions options, SqlRegistryStore store, SkillCatalog? catalog = null, IConfiguration? configuration = null, IMeterFactory? meters = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        Catalog = catalog ?? SkillCatalog.Default;
        Store = store.Assessments;

        // Settings are checked before anything is opened, so a bad one stops the start with its reason alone.
        var reasoning = ReasoningSettings.Read(configuration ?? DefaultConfiguration(options));
        Fusion = OpenFusionWeights(options, store, Catalog);
        Feedback = new LlmFeedbackWriter(reasoning, store.Assessments, budget: store.SharedLlmCallBudget(reasoning.CallsPerMinute, reasoning.CallsPerHour), meters: meters);
        Inference = new SkillInference(Catalog);
        Assessor = new StudentAssessor(Inference, () => Fusion.Current, feedback: Feedback);
        Importer = new EvidenceImporter(Store, Catalog);
        Users = store.Assessments;
    }

    public SkillCatalog Catalog { get; }

    public IAssessmentStore Store { get; }

    /// <summary>The fusion weights in force: the data directory's file on one machine, versioned rows in a database replicas share.</summary>
    public IFusionWeightsSource Fusion { get; }

    public SkillInference Inference { get; }

    public StudentAssessor Assessor { get; }

    public EvidenceImporter Importer { get; }

    /// <summary>Dashboard accounts.</summary>
    public IUserStore Users { get; }

    /// <summary>LLM feedback (or, without one, the reason the template is used).</summary>
    public LlmFeedbackWriter Feedback { get; }

    public void Dispose()
    {
        Fusion.Dispose();
        Feedback.Dispose();
    }

    private static IFusionWeightsSource OpenFusionWeights(ServerOptions options, SqlRegistryStore store, SkillCatalog catalog)
    {
        if (!store.SharedByReplicas)
        {
            return FusionWeightsFile.Open(options.FusionWeightsPath, catalog, store.Assessments.AuditAsync);
        }

        // A first start on a shared database takes this machine's file as version one, if it has one, so
        // moving a single machine to PostgreSQL keeps its weights. Opened at start, before any request:
        // blocking here holds up nothing.
        return FusionWeightsTable.OpenAsync(store.FusionWeights, catalog, () => File.Exists(options.FusionWeightsPath)
            ? FusionWeights.Parse(File.ReadAllText(options.FusionWeightsPath), catalog)
            : FusionWeights.Default(catalog)).GetAwaiter().GetResult();
    }

    private static IConfiguration DefaultConfiguration(ServerOptions options) => new ConfigurationBuilder()
        .AddJsonFile(Path.GetFullPath(Path.Combine(options.DataDirectory, ServerOptions.SettingsFile)), optional: true, reloadOnChange: false)
        .AddEnvironmentVariables()
        .Build();
}

using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Inference;
using Skillscope.Assessment.Skills;
using Skillscope.Storage;

namespace Skillscope.Server.Hosting;

/// <summary>
/// The assessment pipeline over one data directory and database, as both the host and the command
/// line use it: the store, the live fusion weights, inference, the assessor and the importer.
/// </summary>
public sealed class AssessmentServices : IDisposable
{
    public AssessmentServices(ServerOptions options, SqlRegistryStore store, SkillCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        Catalog = catalog ?? SkillCatalog.Default;
        Store = store.Assessments;
        Fusion = FusionWeightsFile.Open(options.FusionWeightsPath, Catalog, Store.AuditAsync);
        Inference = new SkillInference(Catalog);
        Assessor = new StudentAssessor(Inference, () => Fusion.Current);
        Importer = new EvidenceImporter(Store, Catalog);
    }

    public SkillCatalog Catalog { get; }

    public IAssessmentStore Store { get; }

    public FusionWeightsFile Fusion { get; }

    public SkillInference Inference { get; }

    public StudentAssessor Assessor { get; }

    public EvidenceImporter Importer { get; }

    public void Dispose() => Fusion.Dispose();
}

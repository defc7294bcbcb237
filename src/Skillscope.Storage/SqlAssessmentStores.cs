using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Privacy;
using Skillscope.Assessment.Reasoning;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Settings;
using Skillscope.Scoring.Registry;

namespace Skillscope.Storage;

/// <summary>
/// The assessment tables (roster, evidence, assessments, jobs, accounts) in the registry's database, one
/// store per consumer: each part of the product is given only the store it uses.
/// </summary>
public sealed class SqlAssessmentStores
{
    internal SqlAssessmentStores(SqlDialect dialect)
    {
        var evidence = new SqlEvidenceStore(dialect);
        Evidence = evidence;
        Inputs = evidence;
        Records = new SqlAssessmentRecords(dialect);
        Jobs = new SqlJobStore(dialect);
        Roster = new SqlRosterDirectory(dialect);
        Privacy = new SqlPrivacyStore(dialect);
        AccuracyFeedback = new SqlAccuracyFeedbackStore(dialect);
        Monitor = new SqlScoreMonitor(dialect);
        Audit = new SqlAuditLog(dialect);
        Users = new SqlUserStore(dialect);
        FeedbackCache = new SqlFeedbackCache(dialect);
        Exports = new SqlScoreExports(dialect);
        Histories = new SqlStudentHistories(dialect);
        Cohorts = new SqlCohortStats(dialect);
        FusionFitInputs = new SqlFusionFitInputs(dialect);
        FusionProposals = new SqlFusionProposalStore(dialect);
        RetrainRuns = new SqlRetrainRuns(dialect);
        DistrictFusionWeights = new SqlDistrictDocuments(dialect, "district_fusion_weights", ClusterChanges.Districts);
        DistrictSettings = new SqlDistrictDocuments(dialect, "district_settings", ClusterChanges.Districts);
        DistrictLlmUsage = new SqlDistrictLlmUsage(dialect);
    }

    /// <summary>What imports write: roster rows, evidence, extracted features.</summary>
    public IEvidenceStore Evidence { get; }

    /// <summary>What assessing and training read: current features or evidence, and ratings.</summary>
    public IAssessmentInputs Inputs { get; }

    /// <summary>Assessments made outside jobs, and each student's history.</summary>
    public IAssessmentRecords Records { get; }

    public IJobStore Jobs { get; }

    /// <summary>Students and classes as the dashboard and the API look them up.</summary>
    public IRosterDirectory Roster { get; }

    /// <summary>Erasure on request and transcript retention.</summary>
    public IPrivacyStore Privacy { get; }

    public IAccuracyFeedbackStore AccuracyFeedback { get; }

    public IScoreMonitor Monitor { get; }

    public IAuditLog Audit { get; }

    /// <summary>Dashboard accounts and their sessions.</summary>
    public IUserStore Users { get; }

    public IFeedbackCache FeedbackCache { get; }

    /// <summary>Latest scores for SIS exports.</summary>
    public Skillscope.Assessment.Exports.IScoreExports Exports { get; }

    /// <summary>The latest two scores per skill of a class's or school's students, for "students to check on".</summary>
    public Skillscope.Assessment.Support.IStudentHistories Histories { get; }

    /// <summary>Counts per cohort (grade, school, term), skill and tenth of the scale: aggregates only.</summary>
    public Skillscope.Assessment.Cohorts.ICohortStats Cohorts { get; }

    /// <summary>Rated students' latest assessments, which fusion weights are fitted to.</summary>
    public IFusionFitInputs FusionFitInputs { get; }

    /// <summary>Fusion weights fitted to teacher ratings, until an admin applies them.</summary>
    public IFusionProposalStore FusionProposals { get; }

    /// <summary>Retraining runs, scheduled or by hand, with their reports.</summary>
    public Skillscope.Assessment.Training.IRetrainRuns RetrainRuns { get; }

    /// <summary>Districts' own fusion weights.</summary>
    public IDistrictDocuments DistrictFusionWeights { get; }

    /// <summary>Districts' own settings: bands, retention, LLM.</summary>
    public IDistrictDocuments DistrictSettings { get; }

    /// <summary>Each district's LLM-written feedback per day.</summary>
    public IDistrictLlmUsage DistrictLlmUsage { get; }
}

using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Privacy;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Skills;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Telemetry;

namespace Skillscope.Server.Endpoints;

/// <summary>What the student endpoints use, injected as one parameter (<c>[AsParameters]</c>): each store is the one that serves them.</summary>
internal sealed record StudentServices(
    IRosterDirectory Roster, IAssessmentRecords Records, IPrivacyStore Privacy, IAuditLog Audit, StudentAssessmentService Assessments,
    SkillCatalog Catalog, ModelHost Host, ServerMetrics Metrics, TimeProvider Time);

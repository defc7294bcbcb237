using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Evidence;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Roster;

namespace Skillscope.Assessment.Import;

/// <summary>
/// What an import writes: roster rows, evidence and the features extracted from it. Imports are idempotent:
/// roster rows are inserted or updated by id, evidence rows that are already stored are skipped.
/// </summary>
public interface IEvidenceStore
{
    /// <summary>Inserts or updates roster rows; returns how many rows changed.</summary>
    Task<int> UpsertRosterAsync(RosterRows rows, CancellationToken cancellation = default);

    /// <summary>
    /// Stores evidence not stored yet; returns how many rows were new and which students they belong
    /// to. Students with new evidence get a new evidence version.
    /// </summary>
    Task<EvidenceWrite> AddEvidenceAsync(IReadOnlyList<Utterance> utterances, IReadOnlyList<BehaviorEvent> events, IReadOnlyList<TeacherRating> ratings, CancellationToken cancellation = default);

    /// <summary>The evidence of those students that exist (unknown ids are left out).</summary>
    Task<IReadOnlyList<StudentEvidence>> LoadEvidenceAsync(IReadOnlyList<string> studentIds, CancellationToken cancellation = default);

    /// <summary>Stores students' extracted features, each with the evidence version it was computed from.</summary>
    Task SaveFeaturesAsync(IReadOnlyList<(string StudentId, long EvidenceVersion, StudentFeatures Features)> features, CancellationToken cancellation = default);

    /// <summary>
    /// Told after an import wrote evidence for many students, before their evidence is read back: the
    /// database brings what it knows of the tables' contents up to date (PostgreSQL's planner, without
    /// statistics for tables filled moments ago, read every student's events with a scan of the whole table).
    /// </summary>
    Task EvidenceBulkWrittenAsync(CancellationToken cancellation = default);
}

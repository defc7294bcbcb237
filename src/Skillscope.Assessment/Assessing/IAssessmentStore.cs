using Skillscope.Assessment.Evidence;
using Skillscope.Assessment.Roster;
using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Assessing;

/// <summary>
/// Roster, evidence, assessments and batch jobs in the database. Imports are idempotent: roster rows
/// are inserted or updated by id, evidence rows that are already stored are skipped.
/// </summary>
public interface IAssessmentStore
{
    /// <summary>Inserts or updates roster rows; returns how many rows changed.</summary>
    Task<int> UpsertRosterAsync(RosterRows rows, CancellationToken cancellation = default);

    /// <summary>
    /// Stores evidence not stored yet; returns how many rows were new and which students they belong
    /// to. Students with new evidence get a new evidence version.
    /// </summary>
    Task<EvidenceWrite> AddEvidenceAsync(IReadOnlyList<Utterance> utterances, IReadOnlyList<BehaviorEvent> events, IReadOnlyList<TeacherRating> ratings, CancellationToken cancellation = default);

    /// <summary>Which of <paramref name="ids"/> exist as rows of <paramref name="table"/>.</summary>
    Task<IReadOnlySet<string>> ExistingAsync(RosterTable table, IReadOnlyCollection<string> ids, CancellationToken cancellation = default);

    Task<StudentRecord?> GetStudentAsync(string id, CancellationToken cancellation = default);

    /// <summary>
    /// Students whose id or name contains <paramref name="query"/> (case-insensitive), optionally in one
    /// class or grade, and only within <paramref name="scope"/> (a district, a teacher's classes); by last name.
    /// </summary>
    Task<StudentPage> SearchStudentsAsync(string? query, string? classId, int page, int pageSize, Roster.RosterScope? scope = null, int? grade = null, CancellationToken cancellation = default);

    /// <summary>Average fused score per skill over the latest score of each student of a class in that skill.</summary>
    Task<IReadOnlyList<Roster.ClassSkillAverage>> ClassAveragesAsync(string classId, CancellationToken cancellation = default);

    /// <summary>
    /// Scores, model versions, agreement with teacher ratings and feedback sources of the assessments made
    /// since a time — of the latest <paramref name="maxAssessments"/> at most, so its cost is bounded.
    /// </summary>
    Task<ScoreMonitoring> MonitorAsync(DateTime since, int maxAssessments, CancellationToken cancellation = default);

    /// <summary>Classes within <paramref name="scope"/>, by grade and name.</summary>
    Task<IReadOnlyList<ClassSummary>> ClassesAsync(Roster.RosterScope scope, CancellationToken cancellation = default);

    /// <summary>The students of a class, by name, each with their latest fused score per skill.</summary>
    Task<IReadOnlyList<ClassStudentScores>> ClassScoresAsync(string classId, CancellationToken cancellation = default);

    /// <summary>
    /// Removes everything stored about a student — roster row, evidence, ratings, features, assessments,
    /// scores, job failures, accuracy feedback, cached LLM texts — and records the erasure in the audit
    /// log (<c>student.erased</c> by <paramref name="actor"/>, with the rows removed per table), all in
    /// one transaction. Returns the rows removed per table, or null (and nothing recorded) when no
    /// student has this id. The audit log keeps its earlier entries (who did what, by id).
    /// </summary>
    Task<IReadOnlyDictionary<string, int>?> EraseStudentAsync(string studentId, string actor, DateTime at, CancellationToken cancellation = default);

    /// <summary>
    /// Deletes utterances said before <paramref name="cutoff"/>, and the stored features of the students
    /// they belonged to (extracted from them); those students count as having new evidence. Returns the
    /// number deleted and the students affected.
    /// </summary>
    Task<(int Deleted, IReadOnlyList<string> Students)> DeleteUtterancesBeforeAsync(DateTime cutoff, CancellationToken cancellation = default);

    /// <summary>Rewrites a stored assessment's document (same id; its scores are unchanged).</summary>
    Task ReplaceAssessmentAsync(StudentAssessment assessment, CancellationToken cancellation = default);

    /// <summary>Stores a teacher's accuracy feedback; returns it with its id.</summary>
    Task<AccuracyFeedback> AddAccuracyFeedbackAsync(AccuracyFeedback feedback, CancellationToken cancellation = default);

    /// <summary>The most recent accuracy feedback first; only about the students of <paramref name="districtId"/> when given.</summary>
    Task<IReadOnlyList<AccuracyFeedback>> ListAccuracyFeedbackAsync(int limit, string? districtId = null, CancellationToken cancellation = default);

    /// <summary>The evidence of those students that exist (unknown ids are left out).</summary>
    Task<IReadOnlyList<StudentEvidence>> LoadEvidenceAsync(IReadOnlyList<string> studentIds, CancellationToken cancellation = default);

    /// <summary>Stores students' extracted features, each with the evidence version it was computed from.</summary>
    Task SaveFeaturesAsync(IReadOnlyList<(string StudentId, long EvidenceVersion, Features.StudentFeatures Features)> features, CancellationToken cancellation = default);

    /// <summary>
    /// Told after an import wrote evidence for many students, before their evidence is read back: the
    /// database brings what it knows of the tables' contents up to date (PostgreSQL's planner, without
    /// statistics for tables filled moments ago, read every student's events with a scan of the whole table).
    /// </summary>
    Task EvidenceBulkWrittenAsync(CancellationToken cancellation = default);

    /// <summary>
    /// What assessing these students needs: their features kept from the last import when they are
    /// current (same feature set, same evidence version), otherwise their evidence. Unknown ids are left out.
    /// </summary>
    Task<IReadOnlyList<StudentEvidence>> LoadAssessmentInputsAsync(IReadOnlyList<string> studentIds, CancellationToken cancellation = default);

    /// <summary>Every stored teacher rating, for training and validation.</summary>
    Task<IReadOnlyList<TeacherRating>> LoadRatingsAsync(CancellationToken cancellation = default);

    /// <summary>
    /// Up to <paramref name="limit"/> student ids after <paramref name="after"/> (and up to <paramref name="through"/>, when given)
    /// in id order; only stale ones (new evidence since the last assessment) when asked.
    /// </summary>
    Task<IReadOnlyList<string>> StudentIdsAsync(string? after, int limit, bool staleOnly, string? through = null, CancellationToken cancellation = default);

    Task<long> CountStudentsAsync(bool staleOnly, CancellationToken cancellation = default);

    /// <summary>Stores assessments made outside a job (one transaction); returns them with their ids.</summary>
    Task<IReadOnlyList<StudentAssessment>> SaveAssessmentsAsync(IReadOnlyList<StudentAssessment> assessments, CancellationToken cancellation = default);

    /// <summary>A student's assessments, newest first.</summary>
    Task<IReadOnlyList<StudentAssessment>> HistoryAsync(string studentId, int limit, CancellationToken cancellation = default);

    /// <summary>Creates a job unless one with its id exists (so replicas scheduling the same nightly run create it once); true when created.</summary>
    Task<bool> CreateJobAsync(AssessmentJob job, CancellationToken cancellation = default);

    /// <summary>
    /// The oldest unfinished job of <paramref name="job"/>'s kind, created from <paramref name="job"/> when
    /// there is none — atomically, so several machines asking at once share one job.
    /// </summary>
    Task<AssessmentJob> CreateJobUnlessPendingAsync(AssessmentJob job, CancellationToken cancellation = default);

    Task<AssessmentJob?> GetJobAsync(string id, CancellationToken cancellation = default);

    Task<IReadOnlyList<AssessmentJob>> ListJobsAsync(int limit, CancellationToken cancellation = default);

    /// <summary>Marks a queued job running (its start time set once); the job as it stands, or null when there is none.</summary>
    Task<AssessmentJob?> StartJobAsync(string id, CancellationToken cancellation = default);

    /// <summary>The oldest unfinished jobs, for workers looking for work.</summary>
    Task<IReadOnlyList<AssessmentJob>> PendingJobsAsync(CancellationToken cancellation = default);

    /// <summary>A job's partitions in order (none before they are made).</summary>
    Task<IReadOnlyList<JobPartition>> ListPartitionsAsync(string jobId, CancellationToken cancellation = default);

    /// <summary>
    /// Splits a job into partitions over the given id ranges, all or nothing; false when it has partitions
    /// already (another worker made them first).
    /// </summary>
    Task<bool> AddPartitionsAsync(string jobId, IReadOnlyList<(string? After, string? Through)> ranges, CancellationToken cancellation = default);

    /// <summary>
    /// Leases the first unfinished partition of a running job that no live worker holds — free, expired, or
    /// held by an owner <paramref name="isDead"/> says is gone — to <paramref name="owner"/>, under a new
    /// generation. Workers claiming at once each get a different one; null when none is left to lease.
    /// </summary>
    Task<JobPartition?> ClaimPartitionAsync(string jobId, string owner, TimeSpan lease, Func<string, bool> isDead, CancellationToken cancellation = default);

    /// <summary>Extends a held lease; false when the partition was taken over (or its job ended).</summary>
    Task<bool> RenewPartitionAsync(JobPartition partition, TimeSpan lease, CancellationToken cancellation = default);

    /// <summary>
    /// Commits one chunk of a partition in one transaction: its assessments and failures, the partition's
    /// cursor and counts, the job's counts, a renewed lease. Throws <see cref="JobLeaseLostException"/>
    /// (committing nothing) when the partition's lease is no longer this generation's or the job ended.
    /// Returns the job's counts after the commit.
    /// </summary>
    Task<(long Processed, long Failed)> CommitPartitionChunkAsync(JobPartition partition, IReadOnlyList<StudentAssessment> assessments, IReadOnlyList<JobFailure> failures,
        string cursor, double workSeconds, double jobElapsedSeconds, TimeSpan lease, CancellationToken cancellation = default);

    /// <summary>Marks a held partition done; false (nothing changed) when its lease was lost.</summary>
    Task<bool> CompletePartitionAsync(JobPartition partition, double workSeconds, CancellationToken cancellation = default);

    /// <summary>Marks a running job succeeded when every partition is done; the job as it stands either way.</summary>
    Task<AssessmentJob?> FinishJobIfCompleteAsync(string jobId, double elapsedSeconds, CancellationToken cancellation = default);

    /// <summary>Marks an unfinished job failed with the reason: its workers' next commits are refused.</summary>
    Task FailJobAsync(string jobId, string message, double elapsedSeconds, CancellationToken cancellation = default);

    Task<IReadOnlyList<JobFailure>> JobFailuresAsync(string jobId, int limit, CancellationToken cancellation = default);

    /// <summary>The skill results of the assessments a job stored.</summary>
    Task<IReadOnlyList<Validation.StoredSkillScore>> JobSkillScoresAsync(string jobId, CancellationToken cancellation = default);

    /// <summary>Appends an entry to the audit log (changes of fusion weights, roster, …).</summary>
    Task AuditAsync(AuditEntry entry, CancellationToken cancellation = default);
}

/// <summary>The roster tables an import writes.</summary>
public enum RosterTable
{
    Districts,
    Schools,
    Teachers,
    Classes,
    Students,
}

/// <summary>Roster rows to insert or update, any of the lists may be empty.</summary>
public sealed record RosterRows(
    IReadOnlyList<District> Districts, IReadOnlyList<School> Schools, IReadOnlyList<Teacher> Teachers, IReadOnlyList<SchoolClass> Classes, IReadOnlyList<Student> Students)
{
    public static RosterRows Empty { get; } = new([], [], [], [], []);
}

/// <summary>What storing evidence did: rows that were new, and the students they belong to.</summary>
public sealed record EvidenceWrite(int Added, IReadOnlyList<string> Students);

/// <summary>A partition's lease passed to another worker, or its job ended: this worker must stop work on it.</summary>
public sealed class JobLeaseLostException(string message) : Exception(message);

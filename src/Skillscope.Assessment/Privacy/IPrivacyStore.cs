namespace Skillscope.Assessment.Privacy;

/// <summary>Erasing a student on request, and deleting transcripts past their retention.</summary>
public interface IPrivacyStore
{
    /// <summary>
    /// Removes everything stored about a student — roster row, evidence, ratings, features, assessments,
    /// scores, job failures, accuracy feedback, cached LLM texts — and records the erasure in the audit
    /// log (<c>student.erased</c> by <paramref name="actor"/>, with the rows removed per table), all in
    /// one transaction. Returns the rows removed per table, or null (and nothing recorded) when no
    /// student has this id. The audit log keeps its earlier entries (who did what, by id).
    /// </summary>
    Task<IReadOnlyDictionary<string, int>?> EraseStudentAsync(string studentId, string actor, DateTime at, CancellationToken cancellation = default);

    /// <summary>
    /// Every row stored about a student for an access request, per table, as stored: the tables erasure
    /// empties (but the behaviour events' packed blocks, which the evidence store reads), and the audit
    /// entries that name the student (as subject, or in a list of ids).
    /// </summary>
    Task<IReadOnlyList<StoredRows>> StudentRowsAsync(string studentId, CancellationToken cancellation = default);

    /// <summary>
    /// Deletes utterances said before <paramref name="cutoff"/>, and the stored features of the students
    /// they belonged to (extracted from them); those students count as having new evidence. Returns the
    /// number deleted and the students affected.
    /// </summary>
    /// <param name="cutoff">Utterances before this go.</param>
    /// <param name="scope">Whose: one district's students, or every student but those of the districts listed (everyone when null).</param>
    /// <param name="cancellation">Stops it before it commits.</param>
    Task<(int Deleted, IReadOnlyList<string> Students)> DeleteUtterancesBeforeAsync(DateTime cutoff, RetentionScope? scope = null, CancellationToken cancellation = default);
}

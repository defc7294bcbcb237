using System.Data.Common;
using System.Globalization;
using Dapper;
using Skillscope.Assessment.Assessing;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Assessments and their skill scores; jobs store theirs through <see cref="InsertAsync"/> inside their own transaction.</summary>
internal sealed class SqlAssessmentRecords(SqlDialect dialect) : IAssessmentRecords
{
    private readonly SqlDialect _dialect = dialect;

    // Below this many assessments, serialising them on one thread is quicker than sharing the work out.
    private const int ParallelDocumentsFrom = 64;

    public async Task<IReadOnlyList<StudentAssessment>> SaveAssessmentsAsync(IReadOnlyList<StudentAssessment> assessments, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        var documents = Documents(assessments);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        var stored = await InsertAsync(connection, transaction, assessments, documents, cancellation).ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return stored;
    }

    public Task<IReadOnlyList<StudentAssessment>> HistoryAsync(string studentId, int limit, CancellationToken cancellation = default) =>
        _dialect.QueryAsync("SELECT id, payload FROM assessments WHERE student_id = @studentId ORDER BY id DESC LIMIT @limit", new { studentId, limit },
            r => AssessmentJson.Deserialize(r.GetString(1)) with { Id = SqlValues.Int64(r, 0) }, cancellation);

    public async Task ReplaceAssessmentAsync(StudentAssessment assessment, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        await using var connection = _dialect.Open();
        await connection.ExecuteAsync(new CommandDefinition("UPDATE assessments SET payload = @payload WHERE id = @Id",
            new { payload = AssessmentJson.Serialize(assessment), assessment.Id }, cancellationToken: cancellation)).ConfigureAwait(false);
    }

    /// <summary>
    /// Each assessment's stored JSON, made before the transaction opens: serialising is a good part of a
    /// batch chunk's commit and needs no connection, so a chunk's documents are made on every core, and the
    /// single writer is not held meanwhile.
    /// </summary>
    internal static string[] Documents(IReadOnlyList<StudentAssessment> assessments)
    {
        var documents = new string[assessments.Count];
        if (assessments.Count < ParallelDocumentsFrom)
        {
            for (int i = 0; i < documents.Length; i++)
            {
                documents[i] = AssessmentJson.Serialize(assessments[i]);
            }
        }
        else
        {
            Parallel.For(0, documents.Length, i => documents[i] = AssessmentJson.Serialize(assessments[i]));
        }

        return documents;
    }

    /// <summary>Stores assessments and tells the subscriptions that take <c>assessment.completed</c> of them, in the caller's transaction.</summary>
    internal static async Task<IReadOnlyList<StudentAssessment>> InsertAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<StudentAssessment> assessments, string[] documents, CancellationToken cancellation)
    {
        var stored = connection is Npgsql.NpgsqlConnection postgres
            ? await ArrayAssessmentInsert.RunAsync(postgres, (Npgsql.NpgsqlTransaction)transaction, assessments, documents, cancellation).ConfigureAwait(false)
            : await InsertEachAsync(connection, transaction, assessments, documents, cancellation).ConfigureAwait(false);
        var ids = new long[stored.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = stored[i].Id;
        }

        await EventOutbox.PublishAssessmentsAsync(connection, transaction, ids, cancellation).ConfigureAwait(false);
        return stored;
    }

    private static async Task<IReadOnlyList<StudentAssessment>> InsertEachAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<StudentAssessment> assessments, string[] documents, CancellationToken cancellation)
    {
        // SQLite is in process: a prepared statement per row costs no round trip.
        var stored = new List<StudentAssessment>(assessments.Count);
        await using var insert = new RepeatedCommand(connection, transaction,
            "INSERT INTO assessments (student_id, assessed_at, job_id, evidence_version, coverage, feature_set_version, fusion_version, payload, " +
            "feedback_source, feedback_reason, tokens_in, tokens_out) " +
            "VALUES (@student, @at, @job, @evidence, @coverage, @features, @fusion, @payload, @source, @reason, @tokensIn, @tokensOut) RETURNING id",
            "student", "at", "job", "evidence", "coverage", "features", "fusion", "payload", "source", "reason", "tokensIn", "tokensOut");
        // One statement per assessment for all its skills (commands cached by skill count).
        var scoreCommands = new Dictionary<int, RepeatedCommand>();
        await using var assessed = new RepeatedCommand(connection, transaction,
            "UPDATE students SET assessed_version = @version WHERE id = @id AND assessed_version < @version", "version", "id");
        try
        {
            for (int n = 0; n < assessments.Count; n++)
            {
                var a = assessments[n];
                var at = Utc(a.AssessedAt);
                long id = Convert.ToInt64(await insert.ScalarAsync(cancellation,
                    a.StudentId, at, a.JobId, a.EvidenceVersion, a.Coverage, a.FeatureSetVersion, a.FusionVersion, documents[n],
                    a.Feedback.Source, a.Feedback.Reason, a.Feedback.TokensIn, a.Feedback.TokensOut).ConfigureAwait(false), CultureInfo.InvariantCulture);
                if (a.Skills.Count > 0)
                {
                    if (!scoreCommands.TryGetValue(a.Skills.Count, out var score))
                    {
                        scoreCommands[a.Skills.Count] = score = SkillScoreInsert(connection, transaction, a.Skills.Count);
                    }

                    var values = new object?[a.Skills.Count * 8];
                    for (int k = 0; k < a.Skills.Count; k++)
                    {
                        var skill = a.Skills[k];
                        (values[k * 8], values[(k * 8) + 1], values[(k * 8) + 2], values[(k * 8) + 3]) = (id, skill.Skill, a.StudentId, at);
                        (values[(k * 8) + 4], values[(k * 8) + 5], values[(k * 8) + 6], values[(k * 8) + 7]) = (skill.Score, skill.Fused, skill.Confidence, skill.ModelVersion);
                    }

                    await score.ExecuteAsync(cancellation, values).ConfigureAwait(false);
                }

                if (a.AllSkills)
                {
                    await assessed.ExecuteAsync(cancellation, a.EvidenceVersion, a.StudentId).ConfigureAwait(false);
                }

                stored.Add(a with { Id = id });
            }
        }
        finally
        {
            foreach (var command in scoreCommands.Values)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }

        return stored;
    }

    private static RepeatedCommand SkillScoreInsert(DbConnection connection, DbTransaction transaction, int skills)
    {
        string[] columns = ["assessment", "skill", "student", "at", "score", "fused", "confidence", "model"];
        var names = Enumerable.Range(0, skills).SelectMany(k => columns.Select(c => $"{c}{k}")).ToArray();
        string values = string.Join(", ", Enumerable.Range(0, skills).Select(k => "(" + string.Join(", ", columns.Select(c => $"@{c}{k}")) + ")"));
        return new RepeatedCommand(connection, transaction,
            $"INSERT INTO skill_scores (assessment_id, skill, student_id, assessed_at, score, fused, confidence, model_version) VALUES {values}", names);
    }
}

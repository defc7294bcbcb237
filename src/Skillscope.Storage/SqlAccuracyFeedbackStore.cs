using Dapper;
using Skillscope.Assessment.Assessing;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Teachers' accuracy feedback on assessments.</summary>
internal sealed class SqlAccuracyFeedbackStore(SqlDialect dialect) : IAccuracyFeedbackStore
{
    private readonly SqlDialect _dialect = dialect;

    public async Task<AccuracyFeedback> AddAccuracyFeedbackAsync(AccuracyFeedback feedback, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        await using var connection = _dialect.Open();
        long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO accuracy_feedback (assessment_id, student_id, username, at, verdict, skills_off, comment) " +
            "VALUES (@AssessmentId, @StudentId, @Username, @at, @Verdict, @skills, @Comment) RETURNING id",
            new { feedback.AssessmentId, feedback.StudentId, feedback.Username, at = Utc(feedback.At), feedback.Verdict, skills = string.Join(',', feedback.SkillsOff), feedback.Comment },
            cancellationToken: cancellation)).ConfigureAwait(false);
        return feedback with { Id = id };
    }

    private const string Columns = "f.id, f.assessment_id, f.student_id, f.username, f.at, f.verdict, f.skills_off, f.comment";

    public Task<IReadOnlyList<AccuracyFeedback>> ListAccuracyFeedbackAsync(int limit, string? districtId = null, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            $"SELECT {Columns} FROM accuracy_feedback f " +
            (districtId is null ? "" : "JOIN students s ON s.id = f.student_id JOIN classes c ON c.id = s.class_id JOIN schools sc ON sc.id = c.school_id WHERE sc.district_id = @districtId ") +
            "ORDER BY f.id DESC LIMIT @limit", new { limit, districtId }, Read, cancellation);

    public async Task<AccuracyFeedback?> LatestAnswerAsync(long assessmentId, string username, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync($"SELECT {Columns} FROM accuracy_feedback f WHERE f.assessment_id = @assessmentId AND f.username = @username ORDER BY f.id DESC LIMIT 1",
            new { assessmentId, username }, Read, cancellation).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<(AccuracyFeedback Answer, StudentAssessment Assessment)>> AnsweredAssessmentsAsync(CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            $"SELECT {Columns}, a.payload FROM accuracy_feedback f JOIN assessments a ON a.id = f.assessment_id " +
            "WHERE f.id IN (SELECT MAX(id) FROM accuracy_feedback GROUP BY student_id) ORDER BY f.id", null,
            r => (Read(r), AssessmentJson.Deserialize(r.GetString(8)) with { Id = SqlValues.Int64(r, 1) }), cancellation);

    private static AccuracyFeedback Read(System.Data.Common.DbDataReader r) =>
        new(SqlValues.Int64(r, 0), SqlValues.Int64(r, 1), r.GetString(2), r.GetString(3), SqlValues.Timestamp(r, 4), r.GetString(5),
            r.GetString(6).Split(',', StringSplitOptions.RemoveEmptyEntries), SqlValues.NullableString(r, 7));
}

using Skillscope.Assessment.Exports;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Roster;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Latest scores for exports, a page at a time in (student, skill) order.</summary>
internal sealed class SqlScoreExports(SqlDialect dialect) : IScoreExports
{
    private readonly SqlDialect _dialect = dialect;

    public Task<IReadOnlyList<ExportedScore>> NextScoresAsync(ScoreExportFilter filter, string? afterStudent, string? afterSkill, int limit, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var conditions = new List<string>
        {
            // The latest score of each skill: an older assessment's score of a skill is history, not the score.
            "k.assessment_id = (SELECT MAX(k2.assessment_id) FROM skill_scores k2 WHERE k2.student_id = k.student_id AND k2.skill = k.skill)",
        };
        if (afterStudent is not null)
        {
            conditions.Add("(s.id > @afterStudent OR (s.id = @afterStudent AND k.skill > @afterSkill))");
        }

        AddIf(conditions, filter.Scope.DistrictId, "sc.district_id = @scopeDistrict");
        AddIf(conditions, filter.Scope.TeacherId, "c.teacher_id = @scopeTeacher");
        AddIf(conditions, filter.DistrictId, "sc.district_id = @district");
        AddIf(conditions, filter.SchoolId, "c.school_id = @school");
        AddIf(conditions, filter.ClassId, "s.class_id = @class");
        if (filter.Since is not null)
        {
            conditions.Add("k.assessed_at >= @since");
        }

        return _dialect.QueryAsync(
            "SELECT s.id, s.class_id, c.school_id, sc.district_id, k.skill, k.fused, k.confidence, k.assessed_at, k.model_version " +
            "FROM students s JOIN classes c ON c.id = s.class_id JOIN schools sc ON sc.id = c.school_id JOIN skill_scores k ON k.student_id = s.id " +
            $"WHERE {string.Join(" AND ", conditions)} ORDER BY s.id, k.skill LIMIT @limit",
            new
            {
                afterStudent, afterSkill = afterSkill ?? "", scopeDistrict = filter.Scope.DistrictId, scopeTeacher = filter.Scope.TeacherId,
                district = filter.DistrictId, school = filter.SchoolId, @class = filter.ClassId, since = filter.Since is { } since ? Utc(since) : (DateTime?)null, limit,
            },
            r =>
            {
                double fused = SqlValues.Double(r, 5);
                return new ExportedScore(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), fused, TemplateFeedback.BandOf(fused),
                    SqlValues.Double(r, 6), SqlValues.Timestamp(r, 7), r.GetString(8));
            },
            cancellation);
    }

    private static void AddIf(List<string> conditions, string? value, string condition)
    {
        if (value is not null)
        {
            conditions.Add(condition);
        }
    }
}

using Skillscope.Assessment.Exports;
using Skillscope.Assessment.Feedback;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>
/// Latest scores for exports, a page of students at a time: the page's student ids first (an index range
/// on the primary key), then the latest score of each of their skills from that range of the scores'
/// index alone, so every page costs the same however deep into the district it is.
/// </summary>
internal sealed class SqlScoreExports(SqlDialect dialect) : IScoreExports
{
    private readonly SqlDialect _dialect = dialect;

    public async Task<ScorePage> NextScoresAsync(ScoreExportFilter filter, string? afterStudent, int students, IReadOnlyDictionary<string, SkillBands> districtBands,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var conditions = new List<string>();
        AddIf(conditions, afterStudent, "s.id > @after");
        conditions.AddRange(RosterScopeSql.Conditions(filter.Scope));
        AddIf(conditions, filter.DistrictId, "sc.district_id = @district");
        AddIf(conditions, filter.SchoolId, "c.school_id = @school");
        AddIf(conditions, filter.ClassId, "s.class_id = @class");
        string where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        string from = "FROM students s JOIN classes c ON c.id = s.class_id JOIN schools sc ON sc.id = c.school_id";
        var parameters = new
        {
            after = afterStudent, scopeDistrict = filter.Scope.DistrictId, scopeTeacher = filter.Scope.TeacherId, district = filter.DistrictId, school = filter.SchoolId,
            @class = filter.ClassId, since = filter.Since is { } since ? Utc(since) : (DateTime?)null, students, last = "",
        };

        var ids = await _dialect.QueryAsync($"SELECT s.id {from} {where} ORDER BY s.id LIMIT @students", parameters, r => r.GetString(0), cancellation).ConfigureAwait(false);
        if (ids.Count == 0)
        {
            return new ScorePage([], null);
        }

        // The latest score of each skill (an older assessment's score of a skill is history), from the page's range of students only.
        string range = afterStudent is null ? "student_id <= @last" : "student_id > @after AND student_id <= @last";
        var scores = await _dialect.QueryAsync(
            "SELECT s.id, s.class_id, c.school_id, sc.district_id, k.skill, k.fused, k.confidence, k.assessed_at, k.model_version " +
            $"{from} JOIN (SELECT student_id, skill, fused, confidence, assessed_at, model_version, " +
            "ROW_NUMBER() OVER (PARTITION BY student_id, skill ORDER BY assessment_id DESC) AS newest " +
            $"FROM skill_scores WHERE {range}) k ON k.student_id = s.id AND k.newest = 1 " +
            $"{(where.Length == 0 ? "WHERE" : where + " AND")} s.id <= @last{(filter.Since is null ? "" : " AND k.assessed_at >= @since")} ORDER BY s.id, k.skill",
            parameters with { last = ids[^1] },
            r =>
            {
                double fused = SqlValues.Double(r, 5);
                string district = r.GetString(3);
                return new ExportedScore(r.GetString(0), r.GetString(1), r.GetString(2), district, r.GetString(4), fused, (districtBands.GetValueOrDefault(district) ?? SkillBands.Default).Of(fused),
                    SqlValues.Double(r, 6), SqlValues.Timestamp(r, 7), r.GetString(8));
            },
            cancellation).ConfigureAwait(false);
        return new ScorePage(scores, ids.Count < students ? null : ids[^1]);
    }

    private static void AddIf(List<string> conditions, string? value, string condition)
    {
        if (value is not null)
        {
            conditions.Add(condition);
        }
    }
}

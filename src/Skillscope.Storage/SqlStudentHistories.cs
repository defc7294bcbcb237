using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Support;

namespace Skillscope.Storage;

/// <summary>The latest two scores of each skill per student of a class or school: one query, a window over the students' scores only.</summary>
internal sealed class SqlStudentHistories(SqlDialect dialect) : IStudentHistories
{
    private readonly SqlDialect _dialect = dialect;

    public Task<IReadOnlyList<StudentHistory>> OfClassAsync(string classId, RosterScope scope, CancellationToken cancellation = default) =>
        ReadAsync("s.class_id = @id", classId, scope, cancellation);

    public Task<IReadOnlyList<StudentHistory>> OfSchoolAsync(string schoolId, RosterScope scope, CancellationToken cancellation = default) =>
        ReadAsync("c.school_id = @id", schoolId, scope, cancellation);

    private async Task<IReadOnlyList<StudentHistory>> ReadAsync(string which, string id, RosterScope scope, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(scope);
        string where = which + RosterScopeSql.And(scope);
        var rows = await _dialect.QueryAsync(
            "SELECT s.id, s.first_name, s.last_name, s.class_id, k.skill, k.fused, k.confidence, k.newest, sc.district_id " +
            "FROM students s JOIN classes c ON c.id = s.class_id JOIN schools sc ON sc.id = c.school_id " +
            "LEFT JOIN (SELECT student_id, skill, fused, confidence, ROW_NUMBER() OVER (PARTITION BY student_id, skill ORDER BY assessment_id DESC) AS newest " +
            $"FROM skill_scores WHERE student_id IN ({RosterScopeSql.StudentsWhere}{where})) k " +
            $"ON k.student_id = s.id AND k.newest <= 2 WHERE {where} ORDER BY s.id, k.skill, k.newest",
            new { id, scopeDistrict = scope.DistrictId, scopeTeacher = scope.TeacherId },
            r => (Id: r.GetString(0), First: r.GetString(1), Last: r.GetString(2), Class: r.GetString(3), Skill: SqlValues.NullableString(r, 4),
                Fused: r.IsDBNull(5) ? 0 : SqlValues.Double(r, 5), Confidence: r.IsDBNull(6) ? 0 : SqlValues.Double(r, 6), Newest: r.IsDBNull(7) ? 0 : SqlValues.Int64(r, 7), District: r.GetString(8)),
            cancellation).ConfigureAwait(false);

        var students = new List<StudentHistory>();
        foreach (var row in rows)
        {
            if (students.Count == 0 || students[^1].StudentId != row.Id)
            {
                students.Add(new StudentHistory(row.Id, row.First, row.Last, row.Class, new List<SkillHistory>(), row.District));
            }

            if (row.Skill is null)
            {
                continue;
            }

            var skills = (List<SkillHistory>)students[^1].Skills;
            if (row.Newest == 1)
            {
                skills.Add(new SkillHistory(row.Skill, row.Fused, row.Confidence, null));
            }
            else if (skills.Count > 0 && skills[^1].Skill == row.Skill)
            {
                skills[^1] = skills[^1] with { PreviousFused = row.Fused };
            }
        }

        return students;
    }
}

using System.Data.Common;
using Dapper;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Roster;

namespace Skillscope.Storage;

/// <summary>Students and classes with their latest scores, as the dashboard and the API look them up.</summary>
internal sealed class SqlRosterDirectory(SqlDialect dialect) : IRosterDirectory
{
    private readonly SqlDialect _dialect = dialect;

    public async Task<IReadOnlySet<string>> ExistingAsync(RosterTable table, IReadOnlyCollection<string> ids, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        string name = table switch
        {
            RosterTable.Districts => "districts",
            RosterTable.Schools => "schools",
            RosterTable.Teachers => "teachers",
            RosterTable.Classes => "classes",
            _ => "students",
        };
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = _dialect.Open();
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(SqlDialect.IdChunk))
        {
            var rows = await connection.QueryAsync(null, $"SELECT id FROM {name} WHERE {_dialect.InList("id", "ids")}", new { ids = _dialect.List(chunk) }, r => r.GetString(0), cancellation).ConfigureAwait(false);
            found.UnionWith(rows);
        }

        return found;
    }

    public async Task<StudentRecord?> GetStudentAsync(string id, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync($"{StudentSelect} WHERE s.id = @id", new { id }, ReadStudent, cancellation).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0] : null;
    }

    public async Task<bool> ReachesAsync(RosterLevel level, string id, RosterScope scope, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        string sql = level switch
        {
            RosterLevel.District => "SELECT COUNT(*) FROM classes c JOIN schools sc ON sc.id = c.school_id WHERE sc.district_id = @id",
            RosterLevel.School => "SELECT COUNT(*) FROM classes c JOIN schools sc ON sc.id = c.school_id WHERE c.school_id = @id",
            _ => "SELECT COUNT(*) FROM classes c JOIN schools sc ON sc.id = c.school_id WHERE c.id = @id",
        };

        // Within the scope: a district or school is the reader's when one of its classes is.
        var counts = await _dialect.QueryAsync(sql + RosterScopeSql.And(scope), new { id, scopeDistrict = scope.DistrictId, scopeTeacher = scope.TeacherId },
            r => SqlValues.Int64(r, 0), cancellation).ConfigureAwait(false);
        return counts[0] > 0;
    }

    public async Task<StudentPage> SearchStudentsAsync(string? query, string? classId, int page, int pageSize, RosterScope? scope = null, int? grade = null, CancellationToken cancellation = default)
    {
        string? teacherId = scope?.TeacherId, districtId = scope?.DistrictId;
        var conditions = new List<string>();
        string? pattern = null;
        if (!string.IsNullOrWhiteSpace(query))
        {
            // LIKE with the wildcards of the query itself escaped: a search for "50%" means those characters.
            pattern = "%" + query.Trim().ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            conditions.Add("s.search_text LIKE @pattern ESCAPE '\\'");
        }

        if (!string.IsNullOrEmpty(classId))
        {
            conditions.Add("s.class_id = @classId");
        }

        if (teacherId is not null)
        {
            conditions.Add("c.teacher_id = @teacherId");
        }

        if (districtId is not null)
        {
            conditions.Add("sc.district_id = @districtId");
        }

        if (grade is not null)
        {
            conditions.Add("s.grade = @grade");
        }

        string where = conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "";
        var parameters = new { pattern, classId, teacherId, districtId, grade, limit = pageSize, offset = (long)(page - 1) * pageSize };
        await using var connection = _dialect.Open();

        // One scan: the total comes with the page (a window count); only a page past the end needs its own count.
        long total = 0;
        var students = await connection.QueryAsync(null, $"SELECT {StudentColumns}, COUNT(*) OVER () {StudentFrom}{where} " +
            "ORDER BY s.last_name, s.first_name, s.id LIMIT @limit OFFSET @offset", parameters, r =>
            {
                total = SqlValues.Int64(r, StudentColumnCount);
                return ReadStudent(r);
            }, cancellation).ConfigureAwait(false);
        if (students.Count == 0 && page > 1)
        {
            total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) {StudentFrom}{where}", parameters, cancellationToken: cancellation)).ConfigureAwait(false);
        }

        return new StudentPage(students, page, pageSize, total);
    }

    public Task<IReadOnlyList<ClassSummary>> ClassesAsync(RosterScope scope, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT c.id, c.name, c.grade, c.teacher_id, t.name, (SELECT COUNT(*) FROM students s WHERE s.class_id = c.id), c.school_id, sc.name FROM classes c " +
            "LEFT JOIN teachers t ON t.id = c.teacher_id LEFT JOIN schools sc ON sc.id = c.school_id " +
            "WHERE (@teacherId IS NULL OR c.teacher_id = @teacherId) AND (@districtId IS NULL OR sc.district_id = @districtId) ORDER BY c.grade, c.name, c.id",
            new { teacherId = scope.TeacherId, districtId = scope.DistrictId }, r => new ClassSummary(r.GetString(0), r.GetString(1), (int)SqlValues.Int64(r, 2), r.GetString(3), SqlValues.NullableString(r, 4), (int)SqlValues.Int64(r, 5),
                r.GetString(6), SqlValues.NullableString(r, 7)),
            cancellation);

    public async Task<IReadOnlyList<ClassStudentScores>> ClassScoresAsync(string classId, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync(
            "SELECT s.id, s.first_name, s.last_name, k.skill, k.fused FROM students s " +
            $"LEFT JOIN skill_scores k ON k.student_id = s.id AND {LatestScore} WHERE s.class_id = @classId ORDER BY s.last_name, s.first_name, s.id",
            new { classId }, r => (Id: r.GetString(0), First: r.GetString(1), Last: r.GetString(2), Skill: SqlValues.NullableString(r, 3), Fused: r.IsDBNull(4) ? 0 : SqlValues.Double(r, 4)),
            cancellation).ConfigureAwait(false);
        var students = new List<ClassStudentScores>();
        foreach (var row in rows)
        {
            if (students.Count == 0 || students[^1].StudentId != row.Id)
            {
                students.Add(new ClassStudentScores(row.Id, row.First, row.Last, new Dictionary<string, double>(StringComparer.Ordinal)));
            }

            if (row.Skill is not null)
            {
                ((Dictionary<string, double>)students[^1].Fused)[row.Skill] = row.Fused;
            }
        }

        return students;
    }

    public Task<IReadOnlyList<ClassSkillAverage>> ClassAveragesAsync(string classId, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT k.skill, AVG(k.fused), COUNT(*) FROM skill_scores k JOIN students s ON s.id = k.student_id " +
            $"WHERE s.class_id = @classId AND {LatestScore} GROUP BY k.skill ORDER BY k.skill",
            new { classId }, r => new ClassSkillAverage(r.GetString(0), SqlValues.Double(r, 1), (int)SqlValues.Int64(r, 2)), cancellation);

    // A student's latest score in a skill (an assessment of one skill is the latest for that skill only).
    private const string LatestScore =
        "k.assessment_id = (SELECT MAX(k2.assessment_id) FROM skill_scores k2 WHERE k2.student_id = k.student_id AND k2.skill = k.skill)";

    // A student as StudentRecord reads it: these columns (ReadStudent's order) from these tables.
    private const string StudentColumns = "s.id, s.first_name, s.last_name, s.grade, s.class_id, c.name, c.school_id, sc.district_id, c.teacher_id";
    private const int StudentColumnCount = 9;
    private const string StudentFrom = "FROM students s LEFT JOIN classes c ON c.id = s.class_id LEFT JOIN schools sc ON sc.id = c.school_id";
    private const string StudentSelect = $"SELECT {StudentColumns} {StudentFrom}";

    private static StudentRecord ReadStudent(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), (int)SqlValues.Int64(r, 3), r.GetString(4),
        SqlValues.NullableString(r, 5), SqlValues.NullableString(r, 6), SqlValues.NullableString(r, 7), SqlValues.NullableString(r, 8));
}

using Skillscope.Assessment.Roster;

namespace Skillscope.Storage;

/// <summary>
/// A roster scope as SQL over a query's classes (<c>c</c>) and schools (<c>sc</c>): its conditions, whose
/// parameters are <c>@scopeDistrict</c> and <c>@scopeTeacher</c>.
/// </summary>
internal static class RosterScopeSql
{
    /// <summary>The ids of students whose school (<c>sc</c>) meets the condition that follows: <c>… WHERE sc.district_id = @district</c>.</summary>
    public const string StudentsWhere = "SELECT s.id FROM students s JOIN classes c ON c.id = s.class_id JOIN schools sc ON sc.id = c.school_id WHERE ";

    public static IEnumerable<string> Conditions(RosterScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.DistrictId is not null)
        {
            yield return "sc.district_id = @scopeDistrict";
        }

        if (scope.TeacherId is not null)
        {
            yield return "c.teacher_id = @scopeTeacher";
        }
    }

    /// <summary>The conditions each prefixed with AND, to follow a WHERE clause.</summary>
    public static string And(RosterScope scope) => string.Concat(Conditions(scope).Select(condition => " AND " + condition));
}

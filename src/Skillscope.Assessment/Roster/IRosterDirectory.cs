using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Import;

namespace Skillscope.Assessment.Roster;

/// <summary>The roster as the dashboard, the API and imports look it up: which ids exist, students and classes with their latest scores.</summary>
public interface IRosterDirectory
{
    /// <summary>Which of <paramref name="ids"/> exist as rows of <paramref name="table"/>.</summary>
    Task<IReadOnlySet<string>> ExistingAsync(RosterTable table, IReadOnlyCollection<string> ids, CancellationToken cancellation = default);

    Task<StudentRecord?> GetStudentAsync(string id, CancellationToken cancellation = default);

    /// <summary>
    /// Whether a district, school or class of this id is within <paramref name="scope"/>: a district or school
    /// is when one of its classes is. One outside answers as one that does not exist.
    /// </summary>
    Task<bool> ReachesAsync(RosterLevel level, string id, RosterScope scope, CancellationToken cancellation = default);

    /// <summary>
    /// Students whose id or name contains <paramref name="query"/> (case-insensitive), optionally in one
    /// class or grade, and only within <paramref name="scope"/> (a district, a teacher's classes); by last name.
    /// </summary>
    Task<StudentPage> SearchStudentsAsync(string? query, string? classId, int page, int pageSize, RosterScope? scope = null, int? grade = null, CancellationToken cancellation = default);

    /// <summary>Classes within <paramref name="scope"/>, by grade and name.</summary>
    Task<IReadOnlyList<ClassSummary>> ClassesAsync(RosterScope scope, CancellationToken cancellation = default);

    /// <summary>The students of a class, by name, each with their latest fused score per skill.</summary>
    Task<IReadOnlyList<ClassStudentScores>> ClassScoresAsync(string classId, CancellationToken cancellation = default);

    /// <summary>Average fused score per skill over the latest score of each student of a class in that skill.</summary>
    Task<IReadOnlyList<ClassSkillAverage>> ClassAveragesAsync(string classId, CancellationToken cancellation = default);
}

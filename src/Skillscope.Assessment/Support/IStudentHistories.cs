using Skillscope.Assessment.Roster;

namespace Skillscope.Assessment.Support;

/// <summary>The latest two scores of each skill for every student of a class or school.</summary>
public interface IStudentHistories
{
    /// <summary>The students of class <paramref name="classId"/> within <paramref name="scope"/>, with their histories (none outside the scope).</summary>
    Task<IReadOnlyList<StudentHistory>> OfClassAsync(string classId, RosterScope scope, CancellationToken cancellation = default);

    /// <summary>The students of school <paramref name="schoolId"/> within <paramref name="scope"/>, with their histories.</summary>
    Task<IReadOnlyList<StudentHistory>> OfSchoolAsync(string schoolId, RosterScope scope, CancellationToken cancellation = default);
}

using Skillscope.Assessment.Roster;

namespace Skillscope.Assessment.Import;

/// <summary>Roster rows to insert or update, any of the lists may be empty.</summary>
public sealed record RosterRows(
    IReadOnlyList<District> Districts, IReadOnlyList<School> Schools, IReadOnlyList<Teacher> Teachers, IReadOnlyList<SchoolClass> Classes, IReadOnlyList<Student> Students)
{
    public static RosterRows Empty { get; } = new([], [], [], [], []);
}

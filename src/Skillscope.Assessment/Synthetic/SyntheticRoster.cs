using Skillscope.Assessment.Roster;

namespace Skillscope.Assessment.Synthetic;

/// <summary>A generated district's roster: schools of about 500 students, classes of about 25, one teacher per class.</summary>
public sealed record SyntheticRoster(District District, IReadOnlyList<School> Schools, IReadOnlyList<Teacher> Teachers, IReadOnlyList<SchoolClass> Classes, IReadOnlyList<Student> Students);

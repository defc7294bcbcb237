using Skillscope.Assessment.Assessing;

namespace Skillscope.Assessment.Roster;

/// <summary>
/// Which students a reader may see: all of them, one district's (a tenant), or one teacher's classes.
/// Both bounds apply when both are set. Anything outside is "not found": nothing tells a reader that a
/// student they may not see exists.
/// </summary>
public sealed record RosterScope(string? DistrictId, string? TeacherId)
{
    public static RosterScope Everything { get; } = new(null, null);

    /// <summary>Unbounded: the scope of the system's own administrators and services.</summary>
    public bool IsEverything => DistrictId is null && TeacherId is null;

    public bool Allows(StudentRecord student)
    {
        ArgumentNullException.ThrowIfNull(student);
        return (DistrictId is null || student.DistrictId == DistrictId) && (TeacherId is null || student.TeacherId == TeacherId);
    }

    /// <summary>A teacher's scope: their classes, and no others even if the id is missing (an empty id matches no class).</summary>
    public static RosterScope OfTeacher(string? teacherId, string? districtId = null) => new(districtId, teacherId ?? "");
}

namespace Skillscope.Assessment.Assessing;

/// <summary>A student as the API lists them: roster entry with class, school and district.</summary>
public sealed record StudentRecord(
    string Id, string FirstName, string LastName, int Grade, string ClassId, string? ClassName, string? SchoolId, string? DistrictId, string? TeacherId);

/// <summary>One page of a student search.</summary>
public sealed record StudentPage(IReadOnlyList<StudentRecord> Students, int Page, int PageSize, long Total);

namespace Skillscope.Assessment.Roster;

/// <summary>A school district: the tenant boundary.</summary>
public sealed record District(string Id, string Name);

public sealed record School(string Id, string DistrictId, string Name);

/// <summary>A class taught by one teacher in one grade.</summary>
public sealed record SchoolClass(string Id, string SchoolId, string Name, int Grade, string TeacherId);

public sealed record Teacher(string Id, string SchoolId, string Name, string Email);

public sealed record Student(string Id, string ClassId, string FirstName, string LastName, int Grade);

/// <summary>A teacher's rubric rating (1–4) of one student on one skill: the validation ground truth.</summary>
public sealed record TeacherRating(string StudentId, string TeacherId, string Skill, int Rating, DateTime At);

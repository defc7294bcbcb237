namespace Skillscope.Assessment.Support;

/// <summary>A student's latest score of one skill and, when there was an earlier assessment of it, the one before.</summary>
public sealed record SkillHistory(string Skill, double Fused, double Confidence, double? PreviousFused);

/// <summary>A student of a class or school (and their district, whose bands they are drawn in) with the latest two scores of each skill assessed.</summary>
public sealed record StudentHistory(string StudentId, string FirstName, string LastName, string ClassId, IReadOnlyList<SkillHistory> Skills, string DistrictId = "");

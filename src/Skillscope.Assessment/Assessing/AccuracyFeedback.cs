namespace Skillscope.Assessment.Assessing;

/// <summary>
/// A teacher's answer to "Was this assessment accurate?": yes, no or partially, which skills feel off,
/// and a comment. Kept for admins to review and export.
/// </summary>
public sealed record AccuracyFeedback(
    long Id, long AssessmentId, string StudentId, string Username, DateTime At, string Verdict, IReadOnlyList<string> SkillsOff, string? Comment)
{
    public static readonly IReadOnlyList<string> Verdicts = ["yes", "partially", "no"];

    public const int MaxComment = 2_000;
}

/// <summary>A class as the dashboard lists it, with its school.</summary>
public sealed record ClassSummary(string Id, string Name, int Grade, string TeacherId, string? TeacherName, int Students, string SchoolId = "", string? SchoolName = null);

/// <summary>One student of a class with the latest fused score of each skill (missing skills absent).</summary>
public sealed record ClassStudentScores(string StudentId, string FirstName, string LastName, IReadOnlyDictionary<string, double> Fused);

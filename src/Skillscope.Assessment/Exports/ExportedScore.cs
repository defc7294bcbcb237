namespace Skillscope.Assessment.Exports;

/// <summary>
/// One student's latest score of one skill, as a student information system imports it: where the student
/// is on the roster, the score, its band and confidence, when it was assessed and by which model version.
/// </summary>
public sealed record ExportedScore(
    string StudentId, string ClassId, string SchoolId, string DistrictId, string Skill, double Score, string Band, double Confidence, DateTime AssessedAt, string ModelVersion);

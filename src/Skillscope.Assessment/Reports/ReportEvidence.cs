namespace Skillscope.Assessment.Reports;

/// <summary>
/// One piece of evidence as the teacher's report words it: where it comes from, which way it points ("speaks
/// for this skill", "suggests room to grow"), what it says, and the student's own sentence if any.
/// </summary>
public sealed record ReportEvidence(string Source, string Direction, string Description, string? Quote);

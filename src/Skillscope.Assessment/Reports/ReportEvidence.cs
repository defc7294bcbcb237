namespace Skillscope.Assessment.Reports;

/// <summary>One piece of evidence as the teacher's report words it: where it comes from, what it says, the student's own sentence if any.</summary>
public sealed record ReportEvidence(string Source, string Description, string? Quote);

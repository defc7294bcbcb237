namespace Skillscope.Assessment.Reports;

/// <summary>
/// A student's printable report, as one audience reads it: already worded, so the HTML and the PDF say
/// the same thing. <see cref="NotAssessed"/> is set (and <see cref="Skills"/> empty) when there is nothing
/// to report yet.
/// </summary>
public sealed record StudentReport(
    string StudentId,
    ReportAudience Audience,
    string StudentName,
    string Heading,
    string Subtitle,
    DateTime? AssessedAt,
    string? NotAssessed,
    string Summary,
    IReadOnlyList<string> Strengths,
    IReadOnlyList<string> NextSteps,
    IReadOnlyList<SkillReportSection> Skills,
    string Footer);

/// <summary>
/// One skill in a report: its band in words, and for the teacher the level (0 to 1), the class's average
/// and the evidence; for the family those are null or empty.
/// </summary>
public sealed record SkillReportSection(
    string Title,
    string Band,
    string BandLabel,
    double? Level,
    double? ClassAverage,
    string Text,
    string NextStep,
    IReadOnlyList<ReportEvidence> Evidence);

/// <summary>One piece of evidence as the teacher's report words it: where it comes from, what it says, the student's own sentence if any.</summary>
public sealed record ReportEvidence(string Source, string Description, string? Quote);

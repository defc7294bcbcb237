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

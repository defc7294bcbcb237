namespace Skillscope.Assessment.Reports;

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

using System.Globalization;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Roster;

namespace Skillscope.Assessment.Reports;

/// <summary>
/// Words a student's latest assessment as a report for the teacher or the family. The family's report
/// leaves out every number (levels, confidence, averages), the evidence list and anything about the class:
/// a band in words, the feedback's text and a step to try.
/// </summary>
public static partial class StudentReports
{
    private const int EvidenceShown = 3;

    // Bounds on what one skill's section holds, so it always fits a page (an AI-written text may run long).
    private const int MaxText = 900;
    private const int MaxStep = 300;
    private const int MaxQuote = 240;

    /// <summary>The report of <paramref name="student"/> from their latest full assessment (null: not assessed yet); <paramref name="classAverages"/> (the class's average per skill) show in the teacher's report only.</summary>
    public static StudentReport Build(StudentRecord student, StudentAssessment? latest, ReportAudience audience, IReadOnlyList<ClassSkillAverage> classAverages)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(classAverages);
        bool family = audience == ReportAudience.Family;
        string name = $"{student.FirstName} {student.LastName}";
        string heading = family ? $"{name}: a report for the family" : $"{name}: skills report";
        string place = PlaceOf(student);
        string subtitle = family ? place : $"{place} · student id {student.Id}";
        string footer = family
            ? "These skills grow with practice. This report is about your child only; please keep it private. Questions are welcome: ask your child's teacher."
            : latest is null || latest.Skills.Count == 0 ? "Confidential: a student record."
            : "Confidential: a student record. The bands come from evidence gathered so far; read them with what you see in class.";
        if (latest is null || latest.Skills.Count == 0)
        {
            string why = latest is null
                ? $"{student.FirstName} has not been assessed yet, so there is nothing to report."
                : $"{student.FirstName}'s last assessment found too little evidence to describe any skill. {latest.Feedback.Summary}";
            return new StudentReport(student.Id, audience, name, heading, subtitle, latest?.AssessedAt, why, "", [], [], [], footer);
        }

        var sections = new List<SkillReportSection>(latest.Skills.Count);
        foreach (var skill in latest.Skills)
        {
            var text = FeedbackOf(latest.Feedback, skill.Skill);
            sections.Add(new SkillReportSection(
                SkillText.Title(skill.Skill),
                latest.Bands.Of(skill.Fused),
                SkillText.BandLabel(latest.Bands.Of(skill.Fused)),
                family ? null : skill.Fused,
                family ? null : AverageOf(classAverages, skill.Skill),
                Shortened(family ? WithoutQuotes(text?.Text ?? "") : text?.Text ?? "", MaxText),
                Shortened(text?.NextStep ?? "", MaxStep),
                family ? [] : EvidenceOf(skill)));
        }

        var feedback = latest.Feedback;
        return family
            ? new StudentReport(student.Id, audience, name, heading, subtitle, latest.AssessedAt, null, WithoutQuotes(feedback.Summary),
                [.. feedback.Strengths.Select(WithoutQuotes)], [.. feedback.NextSteps.Select(WithoutQuotes)], sections, footer)
            : new StudentReport(student.Id, audience, name, heading, subtitle, latest.AssessedAt, null, feedback.Summary,
                feedback.Strengths, feedback.NextSteps, sections, footer);
    }

    /// <summary>
    /// "Grade 3 · Room 12": the student's grade and class, the grade said once when the class's name
    /// already carries it ("Grade 3 – A").
    /// </summary>
    public static string PlaceOf(StudentRecord student)
    {
        ArgumentNullException.ThrowIfNull(student);
        string className = student.ClassName ?? student.ClassId;
        return className.Contains($"Grade {student.Grade}", StringComparison.OrdinalIgnoreCase) ? className : $"Grade {student.Grade} · {className}";
    }

    /// <summary>"Assessed on 1 December 2026", as both versions date the report.</summary>
    public static string AssessedLine(DateTime at) => "Assessed on " + at.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>
    /// The text without the student's quoted sentences: a sentence said in class may name classmates, and the
    /// family's report holds nothing about anyone else (the teacher's report keeps them).
    /// </summary>
    private static string WithoutQuotes(string text) => QuotedSentence().Replace(OwnWords().Replace(text, ""), "(words of theirs)");

    [System.Text.RegularExpressions.GeneratedRegex(@"\s*In their own words:\s*\u201c[^\u201d]*\u201d")]
    private static partial System.Text.RegularExpressions.Regex OwnWords();

    [System.Text.RegularExpressions.GeneratedRegex("\u201c[^\u201d]*\u201d|\"[^\"]*\"")]
    private static partial System.Text.RegularExpressions.Regex QuotedSentence();

    /// <summary>The text cut at the last space within <paramref name="most"/> characters, with an ellipsis.</summary>
    private static string Shortened(string text, int most)
    {
        if (text.Length <= most)
        {
            return text;
        }

        int space = text.LastIndexOf(' ', most - 1);
        return string.Concat(text.AsSpan(0, space > most / 2 ? space : most - 1), "…");
    }

    private static SkillFeedback? FeedbackOf(AssessmentFeedback feedback, string skill)
    {
        foreach (var text in feedback.Skills)
        {
            if (text.Skill == skill)
            {
                return text;
            }
        }

        return null;
    }

    private static double? AverageOf(IReadOnlyList<ClassSkillAverage> averages, string skill)
    {
        foreach (var average in averages)
        {
            if (average.Skill == skill)
            {
                return average.Fused;
            }
        }

        return null;
    }

    /// <summary>
    /// The strongest evidence, one line per feature (stored assessments from before evidence was merged per
    /// feature may name one twice): the page shows it all, paper the few that matter most.
    /// </summary>
    private static List<ReportEvidence> EvidenceOf(SkillAssessment skill)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var quoted = new HashSet<string>(StringComparer.Ordinal);
        var evidence = new List<ReportEvidence>(EvidenceShown);
        foreach (var item in skill.Evidence)
        {
            if (evidence.Count < EvidenceShown && seen.Add(item.Feature))
            {
                // A sentence already quoted for this skill is not quoted again under another item.
                string? quote = item.Quote is { } said && !quoted.Contains(said) ? Shortened(said, MaxQuote) : null;
                if (item.Quote is not null)
                {
                    quoted.Add(item.Quote);
                }

                evidence.Add(new ReportEvidence(SkillText.SourceOf(item.Feature), SkillText.DirectionOf(item.Direction), item.Description, quote));
            }
        }

        return evidence;
    }
}

using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Reports;
using Skillscope.Assessment.Roster;
using Xunit;

namespace Skillscope.Assessment.Tests;

public sealed class StudentReportsTests
{
    private static readonly StudentRecord Student = new("s-7", "Ada", "Okafor", 4, "c-4b", "Grade 4 – B", "sch-1", "d-1", "t-1");

    [Fact]
    public void The_familys_report_has_bands_in_words_and_nothing_numeric_or_about_the_class()
    {
        var report = StudentReports.Build(Student, Assessment(), ReportAudience.Family, [new ClassSkillAverage("empathy", 0.5, 20)]);

        Assert.Equal("Grade 4 – B", report.Subtitle);
        Assert.All(report.Skills, skill =>
        {
            Assert.Null(skill.Level);
            Assert.Null(skill.ClassAverage);
            Assert.Empty(skill.Evidence);
        });
        Assert.Equal(["Strength", "Growth area"], report.Skills.Select(s => s.BandLabel));
    }

    [Fact]
    public void The_teachers_report_has_the_level_the_class_average_and_at_most_three_pieces_of_evidence_once_each()
    {
        var report = StudentReports.Build(Student, Assessment(), ReportAudience.Teacher, [new ClassSkillAverage("empathy", 0.5, 20)]);

        Assert.Equal("Grade 4 – B · student id s-7", report.Subtitle);
        Assert.Equal(0.8, report.Skills[0].Level);
        Assert.Equal(0.5, report.Skills[0].ClassAverage);
        Assert.Null(report.Skills[1].ClassAverage);
        Assert.Equal(["A", "B", "C"], report.Skills[0].Evidence.Select(e => e.Description));
    }

    [Fact]
    public void A_student_never_assessed_gets_a_report_that_says_so_without_any_skill()
    {
        var report = StudentReports.Build(Student with { ClassName = "Room 12" }, null, ReportAudience.Teacher, []);

        Assert.Equal("Ada has not been assessed yet, so there is nothing to report.", report.NotAssessed);
        Assert.Empty(report.Skills);
        Assert.StartsWith("Grade 4 · Room 12", report.Subtitle, StringComparison.Ordinal);
    }

    private static StudentAssessment Assessment()
    {
        EvidenceItem Item(string feature, string description) => new("linguistic", feature, description, 0.1, 1f, "raises", null);
        var skills = new List<SkillAssessment>
        {
            Skill("empathy", 0.8, [Item("a", "A"), Item("a", "A again"), Item("b", "B"), Item("c", "C"), Item("d", "D")]),
            Skill("resilience", 0.2, []),
        };
        return new StudentAssessment("s-7", new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), "fs", 0.9, skills, [],
            TemplateFeedback.Write("s-7", 0.9, skills, "test"), "fw", 1, null);
    }

    private static SkillAssessment Skill(string skill, double fused, List<EvidenceItem> evidence) =>
        new(skill, fused, 0.8, 0.9, $"skill_{skill}@1.0.0", "1.0.0", "", fused, new FusionComponents(fused, null, null, fused, 0.9, 0, 0, 0.1), evidence, []);
}

using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Skills;

namespace Skillscope.Server.Tests.Reasoning;

/// <summary>Assessments of all seven skills with five evidence items each, one of them quoting the student.</summary>
internal static class SampleAssessments
{
    /// <param name="studentId">Who.</param>
    /// <param name="quote">The student's sentence behind the first item of each skill.</param>
    /// <param name="coverage">Feature coverage.</param>
    /// <param name="descriptions">What the items say (default: short synthetic phrases).</param>
    public static StudentAssessment Create(string studentId, string quote, double coverage = 0.9, IReadOnlyList<string>? descriptions = null)
    {
        var skills = new List<SkillAssessment>();
        int s = 0;
        foreach (string skill in SkillCatalog.Default.Skills)
        {
            double fused = 0.2 + (0.1 * s++);
            var evidence = Enumerable.Range(0, 5).Select(i => new EvidenceItem(
                i % 2 == 0 ? "linguistic" : "behavioral", $"feature_{i}", descriptions is null ? $"Observed marker {i} for {skill}" : descriptions[((s * 5) + i) % descriptions.Count], 0.1 - (0.015 * i), 0.5f,
                i == 3 ? "lowers" : "raises", i == 0 ? quote : null)).ToList();
            skills.Add(new SkillAssessment(skill, fused, 0.7, coverage, $"skill_{skill}@1.0.0", "1.0.0", new string('a', 64), fused,
                new FusionComponents(fused, fused, fused, fused, 0.6, 0.15, 0.15, 0.1), evidence, []));
        }

        return new StudentAssessment(studentId, DateTime.UtcNow, "features-1", coverage, skills, [],
            TemplateFeedback.Write(studentId, coverage, skills, "llm_not_configured"), "1", 1, null);
    }
}

using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;
using Xunit;

namespace Skillscope.Assessment.Tests;

public sealed class TemplateFeedbackTests
{
    [Fact]
    public void Bands_follow_the_fused_score_and_each_skill_gets_observation_and_a_next_step()
    {
        var skills = new[]
        {
            Skill("empathy", 0.8, new EvidenceItem("linguistic", "empathy_marker_rate", "Acknowledging others' feelings: 2.5 per 100 words (above the typical 0.46)", 0.05, 2.5f, "raises", "That must be hard for you.")),
            Skill("collaboration", 0.5, new EvidenceItem("behavioral", "collaboration_per_session", "Collaborating in activities: 1 actions per session (below the typical 1.2)", 0.01, 1f, "lowers", null)),
            Skill("growth_mindset", 0.2, new EvidenceItem("linguistic", "growth_language_rate", "Growth language: 0 per 100 words (below the typical 1)", 0.04, 0f, "lowers", "I'll never get fractions.")),
        };
        var feedback = TemplateFeedback.Write("st1", 0.9, skills, StudentAssessor.TemplateReason);

        Assert.Equal(("template", "llm_not_configured", TemplateFeedback.PromptVersion), (feedback.Source, feedback.Reason, feedback.PromptVersion));
        Assert.Equal(["strength", "developing", "growth_area"], feedback.Skills.Select(s => s.Band));
        Assert.Contains("“That must be hard for you.”", feedback.Skills[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain("never get fractions", feedback.Skills[2].Text, StringComparison.Ordinal);   // no quoting a growth area's setback
        Assert.All(feedback.Skills, s => Assert.False(string.IsNullOrWhiteSpace(s.NextStep)));
        Assert.Contains("empathy is this student's strongest area", feedback.Summary, StringComparison.Ordinal);
        Assert.Contains("growth mindset is the best place to focus next", feedback.Summary, StringComparison.Ordinal);
        Assert.StartsWith("Growth mindset: ", feedback.NextSteps[0], StringComparison.Ordinal);
        Assert.Equal(feedback.Skills.Select(s => s.NextStep), TemplateFeedback.Write("st1", 0.9, skills, "x").Skills.Select(s => s.NextStep));
    }

    [Fact]
    public void Thin_evidence_is_flagged_and_no_evidence_says_so()
    {
        var thin = TemplateFeedback.Write("st2", 0.3, [Skill("empathy", 0.7, null) with { Coverage = 0.3 }], "r");
        Assert.Contains("first impression", thin.Skills[0].Text, StringComparison.Ordinal);

        var none = TemplateFeedback.Write("st3", 0, [], "r");
        Assert.Empty(none.Skills);
        Assert.Contains("no evidence", none.Summary, StringComparison.Ordinal);
    }

    private static SkillAssessment Skill(string skill, double fused, EvidenceItem? item) =>
        new(skill, fused, 0.8, 0.9, $"skill_{skill}@1.0.0", "1.0.0", "ab", fused,
            new FusionComponents(fused, null, null, fused, 0.9, 0, 0, 0.1), item is null ? [] : [item], []);
}

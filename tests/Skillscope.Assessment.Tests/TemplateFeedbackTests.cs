using System.Text.RegularExpressions;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Inference;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Synthetic;
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
    public void The_reason_given_for_a_band_is_something_observed_and_unlike_most_students()
    {
        var missing = new EvidenceItem("behavioral", "response_time", "Time taken to respond: no evidence yet", 0.09, null, "raises", null);
        var typical = new EvidenceItem("behavioral", "hint_rate", "Using hints: about the same as most students", 0.07, 0.2f, "raises", null);
        var telling = new EvidenceItem("linguistic", "empathy_marker_rate", "Acknowledging others' feelings: more often than most students", 0.03, 2.5f, "raises", null);
        var strong = TemplateFeedback.Write("st1", 0.9, [Skill("empathy", 0.8, missing) with { Evidence = [missing, typical, telling] }], "r");
        Assert.Contains("shows clearly (acknowledging others' feelings: more often than most students).", strong.Skills[0].Text, StringComparison.Ordinal);

        var bare = new EvidenceItem("linguistic", "positive_sentiment", "Positive feelings expressed", 0.02, 0.4f, "raises", null);
        var unexplained = TemplateFeedback.Write("st1", 0.9, [Skill("empathy", 0.8, missing) with { Evidence = [missing, typical, bare] }], "r");
        Assert.StartsWith("Empathy shows clearly.", unexplained.Skills[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Over_2000_generated_students_every_count_and_claim_in_the_summary_agrees_with_the_bands()
    {
        var generator = new DistrictGenerator(17);
        var extractor = new FeatureExtractor();
        var skills = SkillCatalog.Default.Skills;
        int checkedStudents = 0;
        foreach (var student in generator.Students(generator.Roster(2_000)))
        {
            var features = extractor.Extract(student.Utterances, student.Events);
            if (features.Coverage == 0)
            {
                continue;
            }

            // The model's probability follows the latent skill, as a trained model's does; fusion and evidence are the real ones.
            var assessed = new List<SkillAssessment>(skills.Count);
            for (int k = 0; k < skills.Count; k++)
            {
                float ml = (float)(1 / (1 + Math.Exp(-1.6 * student.Latent[k])));
                var result = new SkillResult(skills[k], ml, 0.6, features.Coverage, $"skill_{skills[k]}@1.0.0", "1.0.0", "ab", [], null);
                assessed.Add(EvidenceFusion.Fuse(result, features, SkillWeights.Default, FusionIndicators.Default[skills[k]]));
            }

            var feedback = TemplateFeedback.Write(student.Student.Id, features.Coverage, assessed, "r");
            var bands = assessed.Select(a => SkillBands.Default.Of(a.Fused)).ToList();
            int strengths = bands.Count(b => b == "strength"), developing = bands.Count(b => b == "developing"), growth = bands.Count(b => b == "growth_area");
            string summary = feedback.Summary;
            Assert.Contains($"Of the {skills.Count} skills, ", summary, StringComparison.Ordinal);
            Assert.Equal(strengths, Claimed(summary, @"(\d+) shows? as (?:a )?strengths?\b"));
            Assert.Equal(developing, Claimed(summary, @"(\d+)(?: shows?)? as developing\b"));
            Assert.Equal(growth, Claimed(summary, @"(\d+)(?: shows?)? as (?:a )?growth areas?\b"));
            Assert.Equal(strengths, feedback.Strengths.Count);
            Assert.Equal(bands, feedback.Skills.Select(f => f.Band));

            var strongest = assessed.MaxBy(a => a.Fused)!;
            var weakest = assessed.MinBy(a => a.Fused)!;
            if (strongest.Fused != weakest.Fused)
            {
                // Ties: any skill at the top (or bottom) may be the one named.
                Assert.Contains(assessed.Where(a => a.Fused == strongest.Fused), a => summary.Contains($"{TemplateFeedback.NameOf(a.Skill)} is", StringComparison.Ordinal));
                Assert.Contains(assessed.Where(a => a.Fused == weakest.Fused), a => summary.Contains(TemplateFeedback.NameOf(a.Skill), StringComparison.Ordinal));
                Assert.Equal(bands.All(b => b == "strength"), summary.StartsWith("Every skill shows as a strength", StringComparison.Ordinal));
            }

            foreach (var skill in assessed)
            {
                Assert.Equal(skill.Evidence.Count, skill.Evidence.Select(e => e.Feature).Distinct().Count());
                Assert.All(skill.Evidence.Where(e => e.Quote is not null),
                    e => Assert.Equal(e.Feature == "negative_emotion_rate" ? "lowers" : "raises", e.Direction));
            }

            checkedStudents++;
        }

        Assert.True(checkedStudents > 1_800, $"{checkedStudents} students had evidence");
    }

    /// <summary>The number a summary claims for one band (0 when it names none).</summary>
    private static int Claimed(string summary, string pattern)
    {
        var match = Regex.Match(summary, pattern, RegexOptions.CultureInvariant);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
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

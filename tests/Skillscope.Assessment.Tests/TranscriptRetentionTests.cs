using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Privacy;
using Skillscope.Assessment.Reasoning;
using Skillscope.Assessment.Skills;
using Xunit;

namespace Skillscope.Assessment.Tests;

/// <summary>What an assessment keeps once a sentence it quotes is no longer kept.</summary>
public sealed class TranscriptRetentionTests
{
    private const string Gone = "I told my brother I was sorry for yelling.";
    private const string Kept = "We could share the blocks.";

    [Fact]
    public void Template_text_loses_the_quote_and_keeps_the_rest()
    {
        var assessment = Assessed(TemplateFeedback.Source);
        var scrubbed = TranscriptRetention.Scrub(assessment, new HashSet<string>(StringComparer.Ordinal) { Kept })!;
        Assert.DoesNotContain(Gone, Text(scrubbed), StringComparison.Ordinal);
        Assert.Contains(TranscriptRetention.RemovedQuote, Text(scrubbed), StringComparison.Ordinal);
        Assert.Equal([null, Kept], scrubbed.Skills[0].Evidence.Select(e => e.Quote));
        Assert.Equal(TemplateFeedback.Source, scrubbed.Feedback.Source);
    }

    [Fact]
    public void An_llm_text_written_from_a_removed_sentence_is_rewritten_from_the_template_whatever_form_it_quoted_it_in()
    {
        // The LLM saw the redacted sentence and paraphrased it: no search for the sentence finds it.
        var assessment = Assessed("llm") is var a ? a with
        {
            Feedback = a.Feedback with { Summary = "They said sorry to a sibling after yelling, which shows real empathy.", Model = "gpt-test", TokensIn = 900 },
        } : null!;
        var scrubbed = TranscriptRetention.Scrub(assessment, new HashSet<string>(StringComparer.Ordinal) { Kept })!;
        Assert.Equal((TemplateFeedback.Source, FeedbackReasons.SourceRemoved), (scrubbed.Feedback.Source, scrubbed.Feedback.Reason));
        Assert.DoesNotContain("sibling", Text(scrubbed), StringComparison.Ordinal);
        Assert.DoesNotContain(Gone, Text(scrubbed), StringComparison.Ordinal);
        Assert.Null(scrubbed.Feedback.Model);

        // Nothing quoted is gone (each quote is a sentence of a kept utterance): the LLM's text stays.
        Assert.Null(TranscriptRetention.Scrub(assessment, new HashSet<string>(StringComparer.Ordinal) { "Hi. " + Gone + " Then we played.", Kept }));
    }

    private static StudentAssessment Assessed(string source)
    {
        var evidence = new List<EvidenceItem>
        {
            new("linguistic", "apology", "Apologising: more often than most students", 0.3, 1, "raises", Gone),
            new("linguistic", "sharing", "Offering to share: more often than most students", 0.2, 1, "raises", Kept),
        };
        var skills = SkillCatalog.Default.Skills.Select(skill => new SkillAssessment(skill, 0.7, 0.7, 0.9, $"skill_{skill}@1.0.0", "1.0.0", new string('a', 64), 0.7,
            new FusionComponents(0.7, 0.7, 0.7, 0.7, 0.6, 0.15, 0.15, 0.1), skill == "empathy" ? evidence : [], [])).ToList();
        var feedback = TemplateFeedback.Write("st1", 0.9, skills, FeedbackReasons.NotConfigured);
        Assert.Contains(Gone, Text(feedback), StringComparison.Ordinal);
        return new StudentAssessment("st1", DateTime.UtcNow, "features-1", 0.9, skills, [], feedback with { Source = source }, "1", 1, null);
    }

    private static string Text(StudentAssessment assessment) => Text(assessment.Feedback);

    private static string Text(AssessmentFeedback feedback) =>
        string.Join("\n", [feedback.Summary, .. feedback.Strengths, .. feedback.NextSteps, .. feedback.Skills.SelectMany(s => new[] { s.Text, s.NextStep })]);
}

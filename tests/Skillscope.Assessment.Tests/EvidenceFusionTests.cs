using Skillscope.Assessment.Features;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Inference;
using Skillscope.Assessment.Skills;
using Xunit;

namespace Skillscope.Assessment.Tests;

public sealed class EvidenceFusionTests
{
    private static readonly SkillResult Empathy = new("empathy", 0.8f, 0.5, 0.9, "skill_empathy@1.0.0", "1.0.0", "ab",
        [new EvidenceFeature("empathy_marker_rate", "Acknowledging others' feelings", 2.5f, 0.9f, "raises"),
         new EvidenceFeature("completion_rate", "Tasks completed", 0.5f, -0.3f, "lowers")], null);

    [Fact]
    public void The_fused_score_is_the_weighted_sum_of_its_parts_with_evidence_ranked_by_weight()
    {
        var features = Features(("empathy_marker_rate", 2.5f), ("perspective_taking_rate", 0.58f), ("collaboration_per_session", 1.2f));
        var fused = EvidenceFusion.Fuse(Empathy, features, SkillWeights.Default, FusionIndicators.Default["empathy"]);
        var c = fused.Components;
        Assert.Equal(0.65, c.ConfidenceAdjustment, 6);
        Assert.Equal((0.6, 0.15, 0.15, 0.1), (c.WeightMl, c.WeightLinguistic, c.WeightBehavioral, c.WeightConfidence));
        double expected = (0.6 * 0.8) + (0.15 * c.Linguistic!.Value) + (0.15 * c.Behavioral!.Value) + (0.1 * 0.65);
        Assert.Equal(Math.Round(expected, 4), fused.Fused, 4);
        Assert.True(c.Linguistic > 0.5, "an empathy marker rate above the typical value raises the linguistic score");
        Assert.Equal(0.5, c.Behavioral!.Value, 2);
        Assert.Equal(fused.Evidence.OrderByDescending(e => e.Weight).Select(e => e.Weight), fused.Evidence.Select(e => e.Weight));
        var marker = fused.Evidence.First(e => e.Source == "linguistic" && e.Feature == "empathy_marker_rate");
        Assert.Equal("That must be hard for you.", marker.Quote);
        Assert.Null(fused.Evidence.First(e => e.Feature == "completion_rate").Quote);
    }

    [Fact]
    public void Each_feature_is_one_item_in_plain_words_with_its_figures_kept_apart()
    {
        // The model and the linguistic indicator both read the empathy marker rate: one item, their effects added.
        var features = Features(("empathy_marker_rate", 2.5f), ("perspective_taking_rate", 0.58f), ("collaboration_per_session", 1.2f), ("completion_rate", 0.5f));
        var fused = EvidenceFusion.Fuse(Empathy, features, SkillWeights.Default, FusionIndicators.Default["empathy"]);
        Assert.Equal(fused.Evidence.Select(e => e.Feature).Distinct(), fused.Evidence.Select(e => e.Feature));
        var marker = Assert.Single(fused.Evidence, e => e.Feature == "empathy_marker_rate");
        Assert.Equal(("linguistic", "raises"), (marker.Source, marker.Direction));
        Assert.Equal("Acknowledging others' feelings: more often than most students", marker.Description);
        Assert.Equal("2.5 per 100 words (typical 0.46)", marker.Detail);
        Assert.Equal("Tasks completed: about half of the time", fused.Evidence.Single(e => e.Feature == "completion_rate").Description);
        Assert.All(fused.Evidence, e => Assert.DoesNotMatch(@"model|\d|ratio|index|per 100", e.Description));
    }

    [Theory]
    [InlineData("empathy", "empathy_marker_rate", 2.5f, "raises", true)]        // the sentence shows the skill it raises
    [InlineData("empathy", "empathy_marker_rate", 0.05f, "lowers", false)]      // a rare marker lowers: its one sentence would contradict
    [InlineData("self_regulation", "negative_emotion_rate", 6f, "lowers", true)] // many negative feelings lower self-regulation: the sentence shows why
    [InlineData("self_regulation", "negative_emotion_rate", 0.1f, "raises", false)]
    public void A_quote_is_shown_only_when_its_sentence_supports_the_direction_stated(string skill, string feature, float value, string direction, bool quoted)
    {
        var result = new SkillResult(skill, 0.5f, 0.5, 0.9, $"skill_{skill}@1.0.0", "1.0.0", "ab", [], null);
        var features = Features((feature, value));
        var exemplars = new Dictionary<string, string> { [feature] = "A sentence of the student's." };
        var fused = EvidenceFusion.Fuse(result, features with { Exemplars = exemplars }, SkillWeights.Default, FusionIndicators.Default[skill]);
        var item = Assert.Single(fused.Evidence, e => e.Feature == feature);
        Assert.Equal(direction, item.Direction);
        Assert.Equal(quoted, item.Quote is not null);
    }

    [Fact]
    public void A_marker_rarer_than_usual_is_never_illustrated_with_a_sentence_that_has_it()
    {
        // The model raised self-regulation on few reasoning words: a reasoning sentence would contradict "less often".
        var result = new SkillResult("self_regulation", 0.7f, 0.5, 0.9, "skill_self_regulation@1.0.0", "1.0.0", "ab",
            [new EvidenceFeature("cognitive_process_rate", "Reasoning words", 1f, 0.8f, "raises")], null);
        var features = Features(("cognitive_process_rate", 1f)) with { Exemplars = new Dictionary<string, string> { ["cognitive_process_rate"] = "I think it fell because it was heavy." } };
        var item = Assert.Single(EvidenceFusion.Fuse(result, features, SkillWeights.Default, FusionIndicators.Default["self_regulation"]).Evidence);
        Assert.Equal(("raises", "Reasoning words (because, if, figure out): less often than most students"), (item.Direction, item.Description));
        Assert.Null(item.Quote);
    }

    [Fact]
    public void A_source_without_evidence_passes_its_weight_to_the_others()
    {
        var fused = EvidenceFusion.Fuse(Empathy, Features(("collaboration_per_session", 4f)), SkillWeights.Default, FusionIndicators.Default["empathy"]);
        Assert.Null(fused.Components.Linguistic);
        Assert.Equal(0, fused.Components.WeightLinguistic);
        Assert.Equal(1, fused.Components.WeightMl + fused.Components.WeightBehavioral + fused.Components.WeightConfidence, 4);
        Assert.Equal(0.6 / 0.85, fused.Components.WeightMl, 4);
        Assert.DoesNotContain(fused.Evidence, e => e.Source == "linguistic");
    }

    [Theory]
    [InlineData("""{"version": 2, "skills": {}}""", "missing_skill")]
    [InlineData("""{"version": 0, "skills": {}}""", "invalid_weights")]
    [InlineData("""[1]""", "invalid_weights")]
    [InlineData("""{"version": 2, "skills": {"empathy": {"ml": 0.5, "linguistic": 0.5, "behavioral": 0.1, "confidence": 0}}}""", "invalid_weights")]
    [InlineData("""{"version": 2, "skills": {"kindness": {"ml": 1, "linguistic": 0, "behavioral": 0, "confidence": 0}}}""", "unknown_skill")]
    [InlineData("""{"version": 2, "skills": {"empathy": {"ml": 1, "linguistic": 0, "behavioral": 0}}}""", "invalid_weights")]
    [InlineData("""{"version": 2, "skills": {"empathy": {"ml": 1, "linguistic": 0, "behavioral": 0, "confidence": 0, "extra": 0}}}""", "invalid_weights")]
    public void Invalid_weight_documents_are_refused_with_a_code(string json, string code)
    {
        var error = Assert.Throws<FusionWeightsException>(() => FusionWeights.Parse(json, SkillCatalog.Default));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Weights_round_trip_through_their_file_form()
    {
        var weights = FusionWeights.Default(SkillCatalog.Default);
        var again = FusionWeights.Parse(weights.ToJson(), SkillCatalog.Default);
        Assert.Equal(weights.ToJson(), again.ToJson());
        Assert.Equal(SkillWeights.Default, again.For("growth_mindset"));
    }

    private static StudentFeatures Features(params (string Name, float Value)[] values)
    {
        var vector = new float[FeatureSet.Count];
        Array.Fill(vector, float.NaN);
        foreach (var (name, value) in values)
        {
            vector[FeatureSet.IndexOf(name)] = value;
        }

        return new StudentFeatures(vector, values.Length / (double)FeatureSet.Count,
            new Dictionary<string, string> { ["empathy_marker_rate"] = "That must be hard for you." });
    }
}

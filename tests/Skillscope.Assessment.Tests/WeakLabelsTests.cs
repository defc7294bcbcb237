using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Settings;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Synthetic;
using Skillscope.Assessment.Training;
using Xunit;

namespace Skillscope.Assessment.Tests;

/// <summary>Teachers' accuracy answers as weak labels: which answers label which skills, how, with what weight; and that training takes them.</summary>
public sealed class WeakLabelsTests
{
    private static readonly SkillCatalog Catalog = SkillCatalog.Default;
    private static readonly DateTime At = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Skills_named_off_are_labelled_against_their_band_and_a_yes_confirms_strengths_and_growth_areas()
    {
        // empathy shown as a strength, collaboration as a growth area, resilience as developing.
        var shown = Assessment("s1", ("empathy", 0.8), ("collaboration", 0.2), ("resilience", 0.5));
        var labels = WeakLabels.From([(Answer(1, "s1", "partially", "empathy", "collaboration", "resilience"), shown)], Catalog)["s1"];
        Assert.Equal((0f, WeakLabels.OffWeight), labels[Catalog.IndexOf("empathy")]);
        Assert.Equal((1f, WeakLabels.OffWeight), labels[Catalog.IndexOf("collaboration")]);
        Assert.False(labels.ContainsKey(Catalog.IndexOf("resilience")));

        var confirmed = WeakLabels.From([(Answer(1, "s1", "yes"), shown)], Catalog)["s1"];
        Assert.Equal((1f, WeakLabels.ConfirmedWeight), confirmed[Catalog.IndexOf("empathy")]);
        Assert.Equal((0f, WeakLabels.ConfirmedWeight), confirmed[Catalog.IndexOf("collaboration")]);
        Assert.Equal(2, confirmed.Count);

        // "no" without skills named says nothing about any one skill; a later answer replaces an earlier one.
        Assert.Empty(WeakLabels.From([(Answer(1, "s1", "no"), shown)], Catalog)["s1"]);
        var later = WeakLabels.From([(Answer(2, "s1", "no", "empathy"), shown), (Answer(1, "s1", "yes"), shown)], Catalog)["s1"];
        Assert.Equal([Catalog.IndexOf("empathy")], later.Keys);
    }

    [Fact]
    public void The_band_is_the_one_the_assessment_was_shown_in()
    {
        // 0.7 is a strength by the installation's bands, developing by a district's that draws strengths from 0.8.
        var shown = Assessment("s1", ("empathy", 0.7)) with { Settings = new AppliedSettings("d1:1", "d1", new SkillBands(0.8, 0.3), true, null) };
        Assert.Empty(WeakLabels.From([(Answer(1, "s1", "no", "empathy"), shown)], Catalog)["s1"]);
    }

    [Fact]
    public void Training_takes_weak_labels_with_their_weight_beside_the_ratings()
    {
        var generator = new DistrictGenerator(23);
        var extractor = new FeatureExtractor();
        var students = generator.Students(generator.Roster(700)).ToList();
        var rated = students.Take(400).Select(s => new SkillExample(s.Student.Id, extractor.Extract(s.Utterances, s.Events), [.. s.Ratings.Select(r => r.Rating)])).ToList();

        // Teachers said every other student's empathy is high: training leans that way, and says how many it took.
        var weak = students.Skip(400).Select(s => new WeakExample(s.Student.Id, extractor.Extract(s.Utterances, s.Events), 0, 1f, WeakLabels.OffWeight)).ToList();
        var without = SkillModelTrainer.Train(rated, Catalog, 5, threads: 1);
        var with = SkillModelTrainer.Train(rated, Catalog, 5, threads: 1, weak);
        Assert.Equal(300, with[0].Metrics["weak_labels"]);
        Assert.False(without[0].Metrics.ContainsKey("weak_labels"));
        Assert.False(with[1].Metrics.ContainsKey("weak_labels"));
        Assert.Equal(without[1].ModelBytes, with[1].ModelBytes);

        var rows = SkillExamples.Matrix(rated);
        Assert.True(MeanRaw(with[0], rows) > MeanRaw(without[0], rows) + 0.05, $"{MeanRaw(with[0], rows)} vs {MeanRaw(without[0], rows)}");
    }

    private static double MeanRaw(SkillModel model, float[] rows)
    {
        var scores = new float[rows.Length / FeatureSet.Count];
        Skillscope.Trees.XgboostModel.Load(model.ModelBytes).Predictor.PredictBatch(rows, scores);
        return scores.Average();
    }

    private static AccuracyFeedback Answer(long id, string student, string verdict, params string[] off) =>
        new(id, 1, student, "teacher", At.AddMinutes(id), verdict, off, null);

    private static StudentAssessment Assessment(string student, params (string Skill, double Fused)[] skills) =>
        new(student, At, FeatureSet.Version, 0.9,
            [.. skills.Select(s => new SkillAssessment(s.Skill, s.Fused, 0.8, 0.9, $"skill_{s.Skill}@1.0.0", "1.0.0", new string('a', 64), s.Fused,
                new FusionComponents(s.Fused, null, null, s.Fused, 0.9, 0, 0, 0.1), [], []))],
            [], TemplateFeedback.Write(student, 0.9, [], "llm_not_configured"), "1", 1, null);
}

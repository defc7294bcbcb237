using Skillscope.Assessment.Features;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Synthetic;
using Xunit;

namespace Skillscope.Assessment.Tests;

/// <summary>The synthetic district is reproducible, varied, and its evidence carries its latent skills.</summary>
public sealed class DistrictGeneratorTests
{
    [Fact]
    public void The_same_seed_gives_the_same_district_and_another_seed_another()
    {
        var a = Generate(1, 60);
        var b = Generate(1, 60);
        var c = Generate(2, 60);

        Assert.Equal(a.Select(s => s.Utterances.Count), b.Select(s => s.Utterances.Count));
        Assert.Equal(a[5].Utterances.Select(u => u.Text), b[5].Utterances.Select(u => u.Text));
        Assert.Equal(a[5].Latent, b[5].Latent);
        Assert.NotEqual(a[5].Latent, c[5].Latent);
    }

    [Fact]
    public void Transcripts_are_varied_sentences_not_one_template()
    {
        var sentences = Generate(4, 200).SelectMany(s => s.Utterances).Select(u => u.Text).ToList();

        Assert.True(sentences.Distinct(StringComparer.Ordinal).Count() > sentences.Count / 3, "too many identical utterances");
    }

    [Theory]
    [InlineData(SkillCatalog.Empathy, "empathy_marker_rate")]
    [InlineData(SkillCatalog.GrowthMindset, "growth_language_rate")]
    [InlineData(SkillCatalog.Collaboration, "first_person_plural_rate")]
    [InlineData(SkillCatalog.Collaboration, "collaboration_per_session")]
    [InlineData(SkillCatalog.ProblemSolving, "completion_rate")]
    [InlineData(SkillCatalog.Resilience, "retry_after_failure_rate")]
    [InlineData(SkillCatalog.Communication, "words_per_utterance")]
    public void Features_follow_the_latent_skill_they_are_evidence_of(string skill, string feature)
    {
        var students = Generate(5, 1500);
        var extractor = new FeatureExtractor();
        int s = SkillCatalog.Default.IndexOf(skill), f = FeatureSet.IndexOf(feature);
        var pairs = students.Select(st => (Latent: st.Latent[s], Value: (double)extractor.Extract(st.Utterances, st.Events).Values[f]))
            .Where(p => !double.IsNaN(p.Value)).ToList();

        double r = Pearson(pairs.Select(p => p.Latent).ToArray(), pairs.Select(p => p.Value).ToArray());
        Assert.True(r > 0.25, $"r({skill}, {feature}) = {r:F3}");
    }

    [Fact]
    public void Teacher_ratings_track_the_latent_skills_with_noise()
    {
        var students = Generate(6, 1000);
        var latent = students.Select(st => st.Latent[0]).ToArray();
        var ratings = students.Select(st => (double)st.Ratings[0].Rating).ToArray();

        Assert.All(ratings, r => Assert.InRange(r, 1, 4));
        Assert.InRange(Pearson(latent, ratings), 0.6, 0.95);
    }

    [Fact]
    public void A_drifted_term_moves_the_same_students_skills_and_turns_what_the_game_shows_of_them()
    {
        var before = Generate(7, 1500);
        var after = Generate(7, 1500, drift: 1);
        Assert.Equal(before.Select(s => s.Student.Id), after.Select(s => s.Student.Id));
        Assert.Equal(before[3].Latent, Generate(7, 4, drift: 0)[3].Latent);

        // The skills moved, but are still mostly the ones of the term before.
        int resilience = SkillCatalog.Default.IndexOf(SkillCatalog.Resilience);
        double kept = Pearson([.. before.Select(s => s.Latent[resilience])], [.. after.Select(s => s.Latent[resilience])]);
        Assert.InRange(kept, 0.6, 0.95);

        // Teachers still rate the skill itself; retrying after a failure now speaks against resilience instead of for it.
        Assert.InRange(Pearson([.. after.Select(s => s.Latent[resilience])], [.. after.Select(s => (double)s.Ratings[resilience].Rating)]), 0.6, 0.95);
        Assert.True(Correlation(before, resilience, "retry_after_failure_rate") > 0.25);
        Assert.True(Correlation(after, resilience, "retry_after_failure_rate") < -0.1);
    }

    private static double Correlation(List<GeneratedStudent> students, int skill, string feature)
    {
        var extractor = new FeatureExtractor();
        int f = FeatureSet.IndexOf(feature);
        var pairs = students.Select(st => (Latent: st.Latent[skill], Value: (double)extractor.Extract(st.Utterances, st.Events).Values[f]))
            .Where(p => !double.IsNaN(p.Value)).ToList();
        return Pearson([.. pairs.Select(p => p.Latent)], [.. pairs.Select(p => p.Value)]);
    }

    private static List<GeneratedStudent> Generate(int seed, int count, double drift = 0)
    {
        var generator = new DistrictGenerator(seed, drift: drift);
        return [.. generator.Students(generator.Roster(count))];
    }

    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }
}

using Skillscope.Assessment.Fusion;
using Xunit;

namespace Skillscope.Assessment.Tests;

/// <summary>Fusion weights fitted to teacher ratings: they move the way the ratings lean, only as far as held-out students confirm.</summary>
public sealed class FusionFitTests
{
    [Fact]
    public void Ratings_that_lean_on_behaviour_move_weight_to_it_and_raise_held_out_r()
    {
        var samples = Students(3000, seed: 4, rating: (ml, linguistic, behavioral) => (2 * behavioral) + (0.5 * ml));
        var fit = FusionFit.Fit("empathy", samples, SkillWeights.Default);

        Assert.Null(fit.Kept);
        Assert.True(fit.Proposed.Behavioral >= SkillWeights.Default.Behavioral + 0.2, $"behavioral {fit.Proposed.Behavioral}");
        Assert.True(fit.Proposed.Linguistic <= SkillWeights.Default.Linguistic, $"linguistic {fit.Proposed.Linguistic}");
        Assert.Null(fit.Proposed.Problem());
        Assert.True(fit.CvRProposed > fit.CvRCurrent + 0.02, $"r {fit.CvRCurrent} -> {fit.CvRProposed}");
        Assert.True(fit.GainLow > 0, $"gain {fit.Gain} ({fit.GainLow}, {fit.GainHigh})");
        Assert.Equal(fit, FusionFit.Fit("empathy", samples, SkillWeights.Default)); // the folds come from the ids: a rerun gives the same fit
    }

    [Fact]
    public void Ratings_the_weights_in_force_already_follow_keep_them()
    {
        var current = SkillWeights.Default;
        var samples = Students(3000, seed: 5, rating: (ml, linguistic, behavioral) => 0);
        var noise = new Random(50);
        samples = [.. samples.Select(s => s with { Rating = current.Combine(s.Ml, s.Linguistic, s.Behavioral, s.Adjustment).Fused + (0.02 * Gaussian(noise)) })];
        var fit = FusionFit.Fit("empathy", samples, current);

        Assert.True(fit.Kept is not null, $"proposed {fit.Proposed} with gain {fit.Gain} ({fit.GainLow}, {fit.GainHigh})");
        Assert.Equal(current, fit.Proposed);
        Assert.True(fit.CvRCurrent > 0.9);
    }

    [Fact]
    public void Too_few_rated_students_keep_the_weights_and_say_why()
    {
        var fit = FusionFit.Fit("empathy", Students(FusionFit.MinimumStudents - 1, seed: 6, rating: (ml, _, behavioral) => behavioral), SkillWeights.Default);

        Assert.Equal(SkillWeights.Default, fit.Proposed);
        Assert.Contains($"{FusionFit.MinimumStudents} are needed", fit.Kept, StringComparison.Ordinal);
    }

    [Fact]
    public void Students_without_a_source_are_fused_as_assessments_fuse_them()
    {
        // Half the students have no transcripts: their linguistic weight goes to the other sources, in fitting as in assessing.
        var samples = Students(2000, seed: 7, rating: (ml, linguistic, behavioral) => (2 * behavioral) + ml)
            .Select((s, i) => i % 2 == 0 ? s with { Linguistic = null } : s).ToList();
        var fit = FusionFit.Fit("empathy", samples, SkillWeights.Default);

        Assert.True(double.IsFinite(fit.CvRProposed) && double.IsFinite(fit.Gain));
        Assert.True(fit.Proposed.Behavioral > SkillWeights.Default.Behavioral);
        var (fused, ml, linguistic, behavioral, confidence) = fit.Proposed.Combine(0.7, null, 0.4, 0.6);
        Assert.Equal(0, linguistic);
        Assert.Equal(1, ml + behavioral + confidence, 12);
        Assert.InRange(fused, 0, 1);
    }

    /// <summary>Students whose sources each say something of a latent skill; the rating is made from their parts.</summary>
    private static List<FusionSample> Students(int count, int seed, Func<double, double, double, double> rating)
    {
        var random = new Random(seed);
        var samples = new List<FusionSample>(count);
        for (int i = 0; i < count; i++)
        {
            double skill = Gaussian(random);
            double ml = Sigmoid((0.8 * skill) + (0.6 * Gaussian(random)));
            double linguistic = Sigmoid((0.3 * skill) + Gaussian(random));
            double behavioral = Sigmoid((0.6 * skill) + (0.8 * Gaussian(random)));
            double adjustment = 0.5 + ((ml - 0.5) * 0.7);
            string id = $"st-{seed}-{i:D5}";
            samples.Add(new FusionSample(id, ml, linguistic, behavioral, adjustment, rating(ml, linguistic, behavioral) + (0.05 * Gaussian(random))));
        }

        return samples;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}

using Skillscope.Assessment.Training;
using Xunit;

namespace Skillscope.Assessment.Tests;

/// <summary>A challenger is better, worse or even than its champion only beyond the paired interval.</summary>
public sealed class ChallengerComparisonTests
{
    [Fact]
    public void A_sharper_model_is_better_the_same_model_even_and_a_backwards_one_worse()
    {
        var (ratings, sharp, blunt) = Students(1500, seed: 3);

        var better = ChallengerComparison.Compare("empathy", blunt, sharp, ratings, seed: 1);
        Assert.Equal(ChallengerVerdict.Better, better.Verdict);
        Assert.True(better.Auc.Low > 0 && better.Auc.Value > 0, $"AUC change {better.Auc}");
        Assert.True(better.Challenger.RWithRating > better.Champion.RWithRating);
        Assert.Equal(better, ChallengerComparison.Compare("empathy", blunt, sharp, ratings, seed: 1));

        var even = ChallengerComparison.Compare("empathy", sharp, sharp, ratings, seed: 1);
        Assert.Equal(ChallengerVerdict.Even, even.Verdict);
        Assert.Equal(new QualityChange(0, 0, 0), even.Auc);

        var backwards = ChallengerComparison.Compare("empathy", sharp, [.. sharp.Select(p => 1 - p)], ratings, seed: 1);
        Assert.Equal(ChallengerVerdict.Worse, backwards.Verdict);
        Assert.Contains("AUC lower", backwards.Reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ChallengerComparison.Compare("empathy", sharp, sharp[1..], ratings, seed: 1));
    }

    /// <summary>Ratings 1–4 from a latent skill; a sharp model sees the skill well, a blunt one through more noise; both calibrated-ish probabilities.</summary>
    private static (double[] Ratings, double[] Sharp, double[] Blunt) Students(int count, int seed)
    {
        var random = new Random(seed);
        double[] ratings = new double[count], sharp = new double[count], blunt = new double[count];
        for (int i = 0; i < count; i++)
        {
            double skill = Gaussian(random);
            ratings[i] = Math.Clamp(Math.Round(2.5 + skill + (0.4 * Gaussian(random))), 1, 4);
            sharp[i] = 1 / (1 + Math.Exp(-(2 * skill + (0.3 * Gaussian(random)))));
            blunt[i] = 1 / (1 + Math.Exp(-(1.2 * skill + (1.5 * Gaussian(random)))));
        }

        return (ratings, sharp, blunt);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

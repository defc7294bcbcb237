using Skillscope.Assessment.Validation;
using Skillscope.Trees.Metrics;

namespace Skillscope.Assessment.Training;

/// <summary>
/// Compares a challenger with its champion on the same held-out students, pairwise: each measure's change
/// (challenger less champion) with a 95 % interval from <see cref="Resamples"/> bootstrap resamples of the
/// students (the same resample for both models, so what the students have in common cancels out).
/// </summary>
public static class ChallengerComparison
{
    public const int Resamples = 200;

    /// <param name="skill">The skill compared.</param>
    /// <param name="champion">The champion's calibrated scores of the held-out students.</param>
    /// <param name="challenger">The challenger's, in the same order.</param>
    /// <param name="ratings">Each student's teacher rating (1–4); the label is a rating of 3 or more.</param>
    /// <param name="seed">Seeds the resampling, so a rerun gives the same intervals.</param>
    public static ChallengerVerdict Compare(string skill, double[] champion, double[] challenger, double[] ratings, int seed)
    {
        ArgumentNullException.ThrowIfNull(champion);
        ArgumentNullException.ThrowIfNull(challenger);
        ArgumentNullException.ThrowIfNull(ratings);
        if (champion.Length != ratings.Length || challenger.Length != ratings.Length)
        {
            throw new ArgumentException("every held-out student needs a score from each model and a rating");
        }

        var labels = new double[ratings.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = ratings[i] >= 3 ? 1 : 0;
        }

        var championQuality = Quality(champion, labels, ratings);
        var challengerQuality = Quality(challenger, labels, ratings);
        var changes = new double[4][];
        for (int m = 0; m < changes.Length; m++)
        {
            changes[m] = new double[Resamples];
        }

        var random = new Random(seed);
        int n = ratings.Length;
        double[] a = new double[n], b = new double[n], l = new double[n], r = new double[n];
        for (int k = 0; k < Resamples; k++)
        {
            for (int i = 0; i < n; i++)
            {
                int pick = random.Next(n);
                (a[i], b[i], l[i], r[i]) = (champion[pick], challenger[pick], labels[pick], ratings[pick]);
            }

            var before = Quality(a, l, r);
            var after = Quality(b, l, r);
            (changes[0][k], changes[1][k], changes[2][k], changes[3][k]) =
                (after.Auc - before.Auc, after.LogLoss - before.LogLoss, after.Ece - before.Ece, after.RWithRating - before.RWithRating);
        }

        var auc = Change(challengerQuality.Auc - championQuality.Auc, changes[0]);
        var logLoss = Change(challengerQuality.LogLoss - championQuality.LogLoss, changes[1]);
        var ece = Change(challengerQuality.Ece - championQuality.Ece, changes[2]);
        var rating = Change(challengerQuality.RWithRating - championQuality.RWithRating, changes[3]);
        var (verdict, reason) = Decide(challengerQuality, auc, logLoss, ece, rating);
        return new ChallengerVerdict(skill, n, championQuality, challengerQuality, auc, logLoss, ece, rating, verdict, reason);
    }

    private static (string Verdict, string Reason) Decide(ModelQuality challenger, QualityChange auc, QualityChange logLoss, QualityChange ece, QualityChange rating)
    {
        // Each measure worse beyond its interval; calibration only when it is also outside the target (on a few
        // hundred held-out students ECE itself varies by a few hundredths, champion's and challenger's alike).
        var worse = new List<string>();
        if (auc.High < 0)
        {
            worse.Add("AUC lower");
        }

        if (logLoss.Low > 0)
        {
            worse.Add("log loss higher");
        }

        if (ece.Low > 0 && challenger.Ece > SkillValidity.MaximumEce)
        {
            worse.Add($"calibration error higher (and {challenger.Ece:0.000}, above the target {SkillValidity.MaximumEce})");
        }

        if (rating.High < 0)
        {
            worse.Add("r with ratings lower");
        }

        if (worse.Count > 0)
        {
            return (ChallengerVerdict.Worse, string.Join("; ", worse) + ", beyond the interval");
        }

        var better = new List<string>();
        if (auc.Low > 0)
        {
            better.Add("AUC higher");
        }

        if (logLoss.High < 0)
        {
            better.Add("log loss lower");
        }

        return better.Count > 0
            ? (ChallengerVerdict.Better, string.Join(" and ", better) + " beyond the interval, nothing worse")
            : (ChallengerVerdict.Even, "no measure differs beyond its interval");
    }

    private static ModelQuality Quality(double[] scores, double[] labels, double[] ratings) => new(
        ClassificationMetrics.RocAuc(scores, labels), ClassificationMetrics.LogLoss(scores, labels), ClassificationMetrics.ExpectedCalibrationError(scores, labels),
        RegressionMetrics.Pearson(scores, ratings));

    /// <summary>The change with its interval; resamples where the measure is undefined (one class drawn, a constant score) are left out.</summary>
    private static QualityChange Change(double value, double[] resampled)
    {
        var defined = resampled.Where(double.IsFinite).ToArray();
        if (defined.Length < resampled.Length / 2)
        {
            return new QualityChange(Math.Round(value, 5), double.NaN, double.NaN);
        }

        Array.Sort(defined);
        return new QualityChange(Math.Round(value, 5), Math.Round(Percentile(defined, 0.025), 5), Math.Round(Percentile(defined, 0.975), 5));
    }

    private static double Percentile(double[] sorted, double p)
    {
        double position = p * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(sorted.Length - 1, below + 1);
        return sorted[below] + ((sorted[above] - sorted[below]) * (position - below));
    }
}

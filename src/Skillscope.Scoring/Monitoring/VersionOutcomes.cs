using Skillscope.Trees.Metrics;

namespace Skillscope.Scoring.Monitoring;

/// <summary>A metric and its 95 % bootstrap interval (null when it cannot be measured on these outcomes).</summary>
public sealed record Estimate(double Value, double Low, double High);

/// <summary>
/// One version measured on the outcomes of the entities it scored: for a probability (binary) model its AUC,
/// log loss and expected calibration error; for any other, Pearson's r and the root mean squared error; each
/// with a 95 % interval from resampling the outcomes (<see cref="Resamples"/> times, seeded, so the same
/// outcomes give the same interval).
/// </summary>
public sealed record VersionOutcomes(string Version, long Outcomes, long Positives, Estimate? Auc, Estimate? LogLoss, Estimate? CalibrationError, Estimate? Correlation,
    Estimate? Rmse)
{
    public const int Resamples = 200;

    /// <summary>Outcomes a version is measured on at most (an even sample beyond): enough for a tight interval, bounded in cost.</summary>
    public const int MaxOutcomes = 20_000;

    /// <summary>Measures each version on its outcomes; <paramref name="probabilities"/> says the scores are probabilities of a 0/1 label.</summary>
    public static IReadOnlyList<VersionOutcomes> Measure(IReadOnlyList<ScoredOutcome> outcomes, bool probabilities)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return [.. outcomes.GroupBy(o => o.Version, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Of(g.Key, [.. g], probabilities))];
    }

    /// <summary>
    /// The difference candidate − incumbent of a metric, with a 95 % interval from resampling both sets of
    /// outcomes independently: what a canary guard decides on.
    /// </summary>
    public static Estimate? Difference(IReadOnlyList<ScoredOutcome> candidate, IReadOnlyList<ScoredOutcome> incumbent, Func<double[], double[], double> metric)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(incumbent);
        ArgumentNullException.ThrowIfNull(metric);
        var (cs, cl) = Columns(candidate);
        var (iS, il) = Columns(incumbent);
        return Resampled(metric(cs, cl) - metric(iS, il), seed: 17, random =>
        {
            var (rcs, rcl) = Resample(cs, cl, random);
            var (ris, ril) = Resample(iS, il, random);
            return metric(rcs, rcl) - metric(ris, ril);
        });
    }

    /// <summary>ROC AUC of scores against 0/1 labels (NaN when one class is absent).</summary>
    public static double AucOf(double[] scores, double[] labels) => labels.Any(l => l > 0.5) && labels.Any(l => l <= 0.5) ? ClassificationMetrics.RocAuc(scores, labels) : double.NaN;

    /// <summary><paramref name="all"/>, or an even sample of <see cref="MaxOutcomes"/> of them: what a version is measured on.</summary>
    public static ScoredOutcome[] Evenly(ScoredOutcome[] all)
    {
        ArgumentNullException.ThrowIfNull(all);
        return all.Length <= MaxOutcomes ? all : [.. Enumerable.Range(0, MaxOutcomes).Select(i => all[(int)((long)i * all.Length / MaxOutcomes)])];
    }

    private static VersionOutcomes Of(string version, ScoredOutcome[] all, bool probabilities)
    {
        var outcomes = Evenly(all);
        var (scores, labels) = Columns(outcomes);
        long positives = all.LongCount(o => o.Label > 0.5);
        if (probabilities)
        {
            return new VersionOutcomes(version, all.Length, positives,
                Bootstrap(scores, labels, AucOf),
                Bootstrap(scores, labels, (s, l) => ClassificationMetrics.LogLoss(s, l)),
                Bootstrap(scores, labels, (s, l) => ClassificationMetrics.ExpectedCalibrationError(s, l)),
                null, null);
        }

        return new VersionOutcomes(version, all.Length, positives, null, null, null,
            Bootstrap(scores, labels, (s, l) => RegressionMetrics.Pearson(s, l)),
            Bootstrap(scores, labels, (s, l) => Math.Sqrt(s.Zip(l, (a, b) => (a - b) * (a - b)).Average())));
    }

    private static Estimate? Bootstrap(double[] scores, double[] labels, Func<double[], double[], double> metric) =>
        scores.Length < 2 ? null : Resampled(metric(scores, labels), seed: 11, random =>
        {
            var (s, l) = Resample(scores, labels, random);
            return metric(s, l);
        });

    /// <summary><paramref name="value"/> with the 95 % interval of <see cref="Resamples"/> values of <paramref name="resample"/> (seeded); null when the value is not finite.</summary>
    private static Estimate? Resampled(double value, int seed, Func<Random, double> resample)
    {
        if (!double.IsFinite(value))
        {
            return null;
        }

        var random = new Random(seed);
        var samples = new List<double>(Resamples);
        for (int b = 0; b < Resamples; b++)
        {
            double resampled = resample(random);
            if (double.IsFinite(resampled))
            {
                samples.Add(resampled);
            }
        }

        return Interval(value, samples);
    }

    private static Estimate Interval(double value, List<double> samples)
    {
        if (samples.Count == 0)
        {
            return new Estimate(Math.Round(value, 6), Math.Round(value, 6), Math.Round(value, 6));
        }

        samples.Sort();
        double low = samples[(int)Math.Floor(0.025 * (samples.Count - 1))];
        double high = samples[(int)Math.Ceiling(0.975 * (samples.Count - 1))];
        return new Estimate(Math.Round(value, 6), Math.Round(low, 6), Math.Round(high, 6));
    }

    private static (double[] Scores, double[] Labels) Resample(double[] scores, double[] labels, Random random)
    {
        var s = new double[scores.Length];
        var l = new double[labels.Length];
        for (int i = 0; i < s.Length; i++)
        {
            int pick = random.Next(scores.Length);
            (s[i], l[i]) = (scores[pick], labels[pick]);
        }

        return (s, l);
    }

    private static (double[] Scores, double[] Labels) Columns(IReadOnlyList<ScoredOutcome> outcomes) =>
        ([.. outcomes.Select(o => (double)o.Score)], [.. outcomes.Select(o => o.Label)]);
}

using Skillscope.Scoring.Registry;
using Skillscope.Trees.Metrics;

namespace Skillscope.Assessment.Fusion;

/// <summary>
/// Fits a skill's fusion weights to teacher ratings: the weights (non-negative, summing to 1, on a grid of
/// <see cref="Step"/>) whose fused scores have the highest r with the ratings, less <see cref="Pull"/> times
/// their L1 distance from the weights in force, so that weights move only as far as the ratings ask.
/// Five folds of students (by a hash of their id, so a rerun on the same data gives the same folds) measure
/// what the fit is worth: each fold's r is taken with weights fitted on the other four, against the weights in
/// force on that same fold. The proposal is fitted on every student; it replaces the weights in force only when
/// the gain is above zero beyond its 95 % interval over the folds (widened for folds that share students).
/// </summary>
public static class FusionFit
{
    /// <summary>The fewest rated students a skill's weights are fitted on.</summary>
    public const int MinimumStudents = 200;

    public const int Folds = 5;

    /// <summary>The grid's step: weights are proposed in twentieths.</summary>
    public const double Step = 0.05;

    /// <summary>How much r a unit of L1 distance from the weights in force costs (moving 0.2 from one source to another costs 0.008).</summary>
    public const double Pull = 0.02;

    // Student's t at 97.5 % with Folds − 1 degrees of freedom.
    private const double TFolds = 2.776;

    /// <summary>Fits one skill's weights; a skill with fewer than <see cref="MinimumStudents"/> rated students keeps its weights, saying so.</summary>
    public static SkillFit Fit(string skill, IReadOnlyList<FusionSample> samples, SkillWeights current)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(current);
        if (samples.Count < MinimumStudents)
        {
            return new SkillFit(skill, samples.Count, current, current, double.NaN, double.NaN, 0, 0, 0,
                $"only {samples.Count} rated students; {MinimumStudents} are needed to fit weights");
        }

        var fold = new int[samples.Count];
        for (int i = 0; i < fold.Length; i++)
        {
            fold[i] = TrafficRouter.Bucket("fusion-fit", samples[i].StudentId) % Folds;
        }

        var grid = Grid();
        var stats = new FoldStats[grid.Count];
        for (int g = 0; g < grid.Count; g++)
        {
            stats[g] = Measure(samples, fold, grid[g]);
        }

        var inForce = Measure(samples, fold, current);
        var gains = new double[Folds];
        double rCurrent = 0, rProposed = 0;
        for (int f = 0; f < Folds; f++)
        {
            int best = Best(grid, stats, current, without: f);
            double held = stats[best].R(f);
            double held0 = inForce.R(f);
            (gains[f], rCurrent, rProposed) = (held - held0, rCurrent + (held0 / Folds), rProposed + (held / Folds));
        }

        // The folds' gains are not independent (each pair shares three fifths of its training students): the
        // variance is corrected as Nadeau and Bengio propose, 1/k + n_test/n_train rather than 1/k.
        double gain = gains.Average();
        double variance = gains.Sum(g => (g - gain) * (g - gain)) / (Folds - 1);
        double spread = Math.Sqrt(variance * ((1.0 / Folds) + (1.0 / (Folds - 1))));
        var proposed = grid[Best(grid, stats, current, without: -1)];
        double low = gain - (TFolds * spread), high = gain + (TFolds * spread);
        string? kept = low > 0 && proposed != current ? null
            : "weights fitted to the ratings do no better on held-out students than those in force (the gain's interval reaches zero)";
        return new SkillFit(skill, samples.Count, current, kept is null ? proposed : current, rCurrent, rProposed, gain, low, high, kept);
    }

    /// <summary>Every weighting on the grid: the ways of sharing twenty twentieths among four sources.</summary>
    private static List<SkillWeights> Grid()
    {
        int steps = (int)Math.Round(1 / Step);
        var grid = new List<SkillWeights>();
        for (int ml = 0; ml <= steps; ml++)
        {
            for (int linguistic = 0; linguistic <= steps - ml; linguistic++)
            {
                for (int behavioral = 0; behavioral <= steps - ml - linguistic; behavioral++)
                {
                    int confidence = steps - ml - linguistic - behavioral;
                    // Rounded: 12 × 0.05 is 0.6000000000000001, which would never equal the 0.6 in force.
                    grid.Add(new SkillWeights(Math.Round(ml * Step, 2), Math.Round(linguistic * Step, 2), Math.Round(behavioral * Step, 2), Math.Round(confidence * Step, 2)));
                }
            }
        }

        return grid;
    }

    /// <summary>The grid point with the best r (on every fold but <paramref name="without"/>; on all when −1) less the pull toward the weights in force.</summary>
    private static int Best(List<SkillWeights> grid, FoldStats[] stats, SkillWeights current, int without)
    {
        int best = 0;
        double bestValue = double.NegativeInfinity;
        for (int g = 0; g < grid.Count; g++)
        {
            double r = stats[g].RWithout(without);
            var w = grid[g];
            double distance = Math.Abs(w.Ml - current.Ml) + Math.Abs(w.Linguistic - current.Linguistic) + Math.Abs(w.Behavioral - current.Behavioral)
                + Math.Abs(w.Confidence - current.Confidence);
            double value = (double.IsNaN(r) ? -1 : r) - (Pull * distance);
            if (value > bestValue + 1e-12)
            {
                (best, bestValue) = (g, value);
            }
        }

        return best;
    }

    private static FoldStats Measure(IReadOnlyList<FusionSample> samples, int[] fold, SkillWeights weights)
    {
        var stats = new FoldStats();
        for (int i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            stats.Add(fold[i], weights.Combine(s.Ml, s.Linguistic, s.Behavioral, s.Adjustment).Fused, s.Rating);
        }

        return stats;
    }

    /// <summary>Per fold, the sums a Pearson r is made of.</summary>
    private sealed class FoldStats
    {
        private readonly double[] _n = new double[Folds], _x = new double[Folds], _y = new double[Folds], _xx = new double[Folds], _yy = new double[Folds], _xy = new double[Folds];

        public void Add(int fold, double x, double y)
        {
            _n[fold]++;
            _x[fold] += x;
            _y[fold] += y;
            _xx[fold] += x * x;
            _yy[fold] += y * y;
            _xy[fold] += x * y;
        }

        /// <summary>r on one fold.</summary>
        public double R(int fold) => RegressionMetrics.PearsonFromSums((long)_n[fold], _x[fold], _y[fold], _xx[fold], _yy[fold], _xy[fold]);

        /// <summary>r on every fold but one (−1: on all).</summary>
        public double RWithout(int fold)
        {
            double n = 0, x = 0, y = 0, xx = 0, yy = 0, xy = 0;
            for (int f = 0; f < Folds; f++)
            {
                if (f != fold)
                {
                    (n, x, y, xx, yy, xy) = (n + _n[f], x + _x[f], y + _y[f], xx + _xx[f], yy + _yy[f], xy + _xy[f]);
                }
            }

            return RegressionMetrics.PearsonFromSums((long)n, x, y, xx, yy, xy);
        }
    }
}

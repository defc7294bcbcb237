namespace Skillscope.Trees.Calibration;

/// <summary>
/// Isotonic calibration as scikit-learn's <c>IsotonicRegression(out_of_bounds="clip")</c> fits it: equal
/// scores merged into their weighted mean, pool-adjacent-violators for a non-decreasing fit, then linear
/// interpolation between the fitted points, clipped to the range seen in fitting.
/// </summary>
/// <param name="Thresholds">Distinct scores, ascending.</param>
/// <param name="Values">Calibrated probability at each threshold, non-decreasing.</param>
public sealed record IsotonicCalibrator(IReadOnlyList<double> Thresholds, IReadOnlyList<double> Values)
{
    /// <summary>Fits the calibrator to scores and 0/1 labels; rows with weight 0 are ignored.</summary>
    /// <exception cref="ArgumentException">Mismatched lengths or no rows with weight.</exception>
    public static IsotonicCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights = default)
    {
        Metrics.ClassificationMetrics.CheckLengths(scores, labels, weights);
        var order = Metrics.ClassificationMetrics.SortedOrder(scores);
        var x = new List<double>();
        var y = new List<double>();
        var w = new List<double>();
        foreach (int row in order)
        {
            double weight = weights.IsEmpty ? 1 : weights[row];
            if (weight <= 0)
            {
                continue;
            }

            double label = labels[row] > 0 ? 1 : 0;
            if (x.Count > 0 && scores[row] == x[^1])
            {
                double total = w[^1] + weight;
                y[^1] = ((y[^1] * w[^1]) + (label * weight)) / total;
                w[^1] = total;
            }
            else
            {
                x.Add(scores[row]);
                y.Add(label);
                w.Add(weight);
            }
        }

        if (x.Count == 0)
        {
            throw new ArgumentException("no rows with positive weight to calibrate on");
        }

        // Pool adjacent violators: blocks of (mean, weight, length), merged while a block is below its predecessor.
        var means = new List<double>();
        var blockWeights = new List<double>();
        var lengths = new List<int>();
        for (int i = 0; i < x.Count; i++)
        {
            means.Add(y[i]);
            blockWeights.Add(w[i]);
            lengths.Add(1);
            while (means.Count > 1 && means[^2] > means[^1])
            {
                double total = blockWeights[^2] + blockWeights[^1];
                double mean = ((means[^2] * blockWeights[^2]) + (means[^1] * blockWeights[^1])) / total;
                int length = lengths[^2] + lengths[^1];
                means.RemoveAt(means.Count - 1);
                blockWeights.RemoveAt(blockWeights.Count - 1);
                lengths.RemoveAt(lengths.Count - 1);
                means[^1] = mean;
                blockWeights[^1] = total;
                lengths[^1] = length;
            }
        }

        var fitted = new double[x.Count];
        int at = 0;
        for (int block = 0; block < means.Count; block++)
        {
            for (int k = 0; k < lengths[block]; k++)
            {
                fitted[at++] = means[block];
            }
        }

        return new IsotonicCalibrator(x, fitted);
    }

    /// <summary>The calibrated probability of a score.</summary>
    public double Calibrate(double score)
    {
        if (Thresholds.Count == 1 || score <= Thresholds[0])
        {
            return Values[0];
        }

        if (score >= Thresholds[^1])
        {
            return Values[^1];
        }

        int low = 0, high = Thresholds.Count - 1;
        while (high - low > 1)
        {
            int middle = (low + high) >>> 1;
            if (Thresholds[middle] <= score)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        double fraction = (score - Thresholds[low]) / (Thresholds[high] - Thresholds[low]);
        return Values[low] + (fraction * (Values[high] - Values[low]));
    }
}

namespace Skillscope.Trees.Metrics;

/// <summary>
/// Metrics of probabilistic binary classifiers, computed in double as scikit-learn computes them.
/// Labels are 0 or 1 (a label above 0.5 counts as positive); weights are optional.
/// </summary>
public static class ClassificationMetrics
{
    // numpy's finfo(float64).eps; .NET's double.Epsilon is the smallest subnormal, a different number.
    internal const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>Area under the ROC curve; tied scores count half, as the trapezoidal rule does.</summary>
    /// <returns>NaN when one class is absent (the area is undefined).</returns>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights = default)
    {
        CheckLengths(scores, labels, weights);
        var order = SortedOrder(scores);
        double negativeBelow = 0, area = 0, positives = 0, negatives = 0;
        int i = 0;
        while (i < order.Length)
        {
            int j = i;
            double groupPositive = 0, groupNegative = 0;
            while (j < order.Length && scores[order[j]] == scores[order[i]])
            {
                int row = order[j];
                double w = weights.IsEmpty ? 1 : weights[row];
                if (labels[row] > 0.5)
                {
                    groupPositive += w;
                }
                else
                {
                    groupNegative += w;
                }

                j++;
            }

            area += groupPositive * (negativeBelow + (0.5 * groupNegative));
            negativeBelow += groupNegative;
            positives += groupPositive;
            negatives += groupNegative;
            i = j;
        }

        return positives > 0 && negatives > 0 ? area / (positives * negatives) : double.NaN;
    }

    /// <summary>The points of the ROC curve (false-positive rate, true-positive rate), from (0,0) to (1,1), one per distinct score.</summary>
    public static IReadOnlyList<(double FalsePositiveRate, double TruePositiveRate, double Threshold)> RocCurve(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels)
    {
        CheckLengths(scores, labels, default);
        var order = SortedOrder(scores);
        double positives = 0, negatives = 0;
        foreach (var label in labels)
        {
            if (label > 0.5)
            {
                positives++;
            }
            else
            {
                negatives++;
            }
        }

        var points = new List<(double, double, double)> { (0, 0, double.PositiveInfinity) };
        double truePositives = 0, falsePositives = 0;
        for (int i = order.Length - 1; i >= 0;)
        {
            double threshold = scores[order[i]];
            while (i >= 0 && scores[order[i]] == threshold)
            {
                if (labels[order[i]] > 0.5)
                {
                    truePositives++;
                }
                else
                {
                    falsePositives++;
                }

                i--;
            }

            points.Add((negatives > 0 ? falsePositives / negatives : 0, positives > 0 ? truePositives / positives : 0, threshold));
        }

        return points;
    }

    /// <summary>Mean negative log-likelihood; probabilities are clipped to [ε, 1 − ε] with ε the double machine epsilon, as scikit-learn does.</summary>
    public static double LogLoss(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights = default)
    {
        CheckLengths(probabilities, labels, weights);
        double sum = 0, total = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double p = Math.Clamp(probabilities[i], MachineEpsilon, 1 - MachineEpsilon);
            double w = weights.IsEmpty ? 1 : weights[i];
            sum -= w * ((labels[i] * Math.Log(p)) + ((1 - labels[i]) * Math.Log(1 - p)));
            total += w;
        }

        return sum / total;
    }

    /// <summary>Mean squared difference between probability and outcome.</summary>
    public static double BrierScore(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights = default)
    {
        CheckLengths(probabilities, labels, weights);
        double sum = 0, total = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double w = weights.IsEmpty ? 1 : weights[i];
            double d = probabilities[i] - labels[i];
            sum += w * d * d;
            total += w;
        }

        return sum / total;
    }

    /// <summary>
    /// Expected calibration error over <paramref name="binCount"/> equal-width probability bins: the
    /// row-weighted mean of |observed rate − mean probability| per bin.
    /// </summary>
    public static double ExpectedCalibrationError(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> labels, int binCount = 10)
    {
        var bins = CalibrationBins(probabilities, labels, binCount);
        double error = 0;
        foreach (var bin in bins)
        {
            error += bin.Count * Math.Abs(bin.ObservedRate - bin.MeanProbability);
        }

        return error / labels.Length;
    }

    /// <summary>The reliability diagram: per non-empty equal-width bin, its mean probability, observed rate and row count.</summary>
    public static IReadOnlyList<CalibrationBin> CalibrationBins(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> labels, int binCount = 10)
    {
        CheckLengths(probabilities, labels, default);
        ArgumentOutOfRangeException.ThrowIfLessThan(binCount, 1);
        var sumP = new double[binCount];
        var sumY = new double[binCount];
        var count = new int[binCount];
        for (int i = 0; i < labels.Length; i++)
        {
            int bin = Math.Clamp((int)(probabilities[i] * binCount), 0, binCount - 1);
            sumP[bin] += probabilities[i];
            sumY[bin] += labels[i] > 0.5 ? 1 : 0;
            count[bin]++;
        }

        var bins = new List<CalibrationBin>();
        for (int b = 0; b < binCount; b++)
        {
            if (count[b] > 0)
            {
                bins.Add(new CalibrationBin((double)b / binCount, (double)(b + 1) / binCount, sumP[b] / count[b], sumY[b] / count[b], count[b]));
            }
        }

        return bins;
    }

    /// <summary>Accuracy, precision, recall and F1 when a probability ≥ <paramref name="threshold"/> predicts positive.</summary>
    public static ThresholdMetrics AtThreshold(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> labels, double threshold = 0.5)
    {
        CheckLengths(probabilities, labels, default);
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            bool predicted = probabilities[i] >= threshold;
            bool actual = labels[i] > 0.5;
            if (predicted)
            {
                if (actual)
                {
                    tp++;
                }
                else
                {
                    fp++;
                }
            }
            else if (actual)
            {
                fn++;
            }
            else
            {
                tn++;
            }
        }

        // scikit-learn's zero_division=0 convention: an undefined ratio is reported as 0.
        double precision = tp + fp > 0 ? (double)tp / (tp + fp) : 0;
        double recall = tp + fn > 0 ? (double)tp / (tp + fn) : 0;
        double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        return new ThresholdMetrics(threshold, (double)(tp + tn) / labels.Length, precision, recall, f1, tp, fp, tn, fn);
    }

    internal static int[] SortedOrder(ReadOnlySpan<double> values)
    {
        var order = new int[values.Length];
        var keys = values.ToArray();
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        return order;
    }

    internal static void CheckLengths(ReadOnlySpan<double> values, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights)
    {
        if (values.Length != labels.Length || (!weights.IsEmpty && weights.Length != labels.Length))
        {
            throw new ArgumentException($"mismatched lengths: {values.Length} values, {labels.Length} labels, {weights.Length} weights");
        }

        if (labels.IsEmpty)
        {
            throw new ArgumentException("no rows to evaluate");
        }
    }
}

namespace Skillscope.Trees.Metrics;

/// <summary>Metrics comparing predicted and observed numbers, computed in double as scipy and scikit-learn do.</summary>
public static class RegressionMetrics
{
    /// <summary>Root of the (weighted) mean squared error.</summary>
    public static double Rmse(ReadOnlySpan<double> predictions, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights = default)
    {
        ClassificationMetrics.CheckLengths(predictions, labels, weights);
        double sum = 0, total = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double w = weights.IsEmpty ? 1 : weights[i];
            double d = predictions[i] - labels[i];
            sum += w * d * d;
            total += w;
        }

        return Math.Sqrt(sum / total);
    }

    /// <summary>Pearson's correlation coefficient; NaN when either side is constant.</summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        ClassificationMetrics.CheckLengths(x, y, default);
        double meanX = 0, meanY = 0;
        for (int i = 0; i < x.Length; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }

        meanX /= x.Length;
        meanY /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx > 0 && syy > 0 ? Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1) : double.NaN;
    }

    /// <summary>
    /// Pearson's r from the running sums a database aggregates (n, Σx, Σy, Σx², Σy², Σxy), for data
    /// too large to read back; NaN when either side is constant or n is below 3.
    /// </summary>
    public static double PearsonFromSums(long n, double sumX, double sumY, double sumXx, double sumYy, double sumXy)
    {
        double sxx = (n * sumXx) - (sumX * sumX), syy = (n * sumYy) - (sumY * sumY);
        return n >= 3 && sxx > 0 && syy > 0 ? Math.Clamp(((n * sumXy) - (sumX * sumY)) / Math.Sqrt(sxx * syy), -1, 1) : double.NaN;
    }

    /// <summary>Spearman's rank correlation: Pearson's r of the ranks, ties given their average rank.</summary>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        ClassificationMetrics.CheckLengths(x, y, default);
        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>1-based ranks with ties averaged (scipy's <c>rankdata</c>, method "average").</summary>
    public static double[] Ranks(ReadOnlySpan<double> values)
    {
        var order = ClassificationMetrics.SortedOrder(values);
        var ranks = new double[values.Length];
        int i = 0;
        while (i < order.Length)
        {
            int j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]])
            {
                j++;
            }

            double average = ((i + j) / 2.0) + 1;
            for (int k = i; k <= j; k++)
            {
                ranks[order[k]] = average;
            }

            i = j + 1;
        }

        return ranks;
    }
}

namespace Skillscope.Trees.Calibration;

/// <summary>
/// Platt (sigmoid) calibration as scikit-learn's <c>CalibratedClassifierCV(method="sigmoid")</c> fits it:
/// <c>p = 1 / (1 + exp(A·s + B))</c>, with Platt's smoothed targets <c>(N₊+1)/(N₊+2)</c> and
/// <c>1/(N₋+2)</c> and the weighted log loss minimised exactly (Newton's method on a convex problem,
/// where scikit-learn stops BFGS at a gradient tolerance).
/// </summary>
/// <param name="A">Slope; usually negative (a higher score means a higher probability).</param>
/// <param name="B">Intercept.</param>
public sealed record PlattCalibrator(double A, double B)
{
    /// <summary>Fits the calibrator to scores and 0/1 labels (a label above 0 counts as positive).</summary>
    /// <exception cref="ArgumentException">Mismatched lengths or no rows.</exception>
    public static PlattCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, ReadOnlySpan<double> weights = default)
    {
        Metrics.ClassificationMetrics.CheckLengths(scores, labels, weights);
        double positives = 0, negatives = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double w = weights.IsEmpty ? 1 : weights[i];
            if (labels[i] > 0)
            {
                positives += w;
            }
            else
            {
                negatives += w;
            }
        }

        double targetPositive = (positives + 1) / (positives + 2);
        double targetNegative = 1 / (negatives + 2);
        double a = 0, b = Math.Log((negatives + 1) / (positives + 1));
        for (int iteration = 0; iteration < 200; iteration++)
        {
            // Gradient and Hessian of Σ w·logloss(t, p) with p = σ(−(a·s + b)).
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            for (int i = 0; i < scores.Length; i++)
            {
                double w = weights.IsEmpty ? 1 : weights[i];
                double t = labels[i] > 0 ? targetPositive : targetNegative;
                double p = 1 / (1 + Math.Exp((a * scores[i]) + b));
                double d = w * (t - p);
                double curvature = w * p * (1 - p);
                ga += d * scores[i];
                gb += d;
                haa += curvature * scores[i] * scores[i];
                hab += curvature * scores[i];
                hbb += curvature;
            }

            double determinant = (haa * hbb) - (hab * hab);
            if (!(determinant > 0))
            {
                break;
            }

            double stepA = ((hbb * ga) - (hab * gb)) / determinant;
            double stepB = ((haa * gb) - (hab * ga)) / determinant;
            a -= stepA;
            b -= stepB;
            if (Math.Abs(stepA) < 1e-12 * (1 + Math.Abs(a)) && Math.Abs(stepB) < 1e-12 * (1 + Math.Abs(b)))
            {
                break;
            }
        }

        return new PlattCalibrator(a, b);
    }

    /// <summary>The calibrated probability of a score.</summary>
    public double Calibrate(double score) => 1 / (1 + Math.Exp((A * score) + B));
}

using Skillscope.Trees.Calibration;
using Skillscope.Trees.Metrics;

namespace Skillscope.Scoring.Packages;

/// <summary>
/// Chooses how to calibrate a model from held-out scores: sigmoid, isotonic or not at all, whichever
/// predicts unseen labels best by log loss (two-fold: fit on one half, score the other), then refits
/// the winner on all of them. A boosted logistic model is often calibrated already; a calibrator is
/// only added when it measurably helps, and isotonic only when there is data enough not to overfit.
/// </summary>
public static class CalibrationSelector
{
    public static ScoreCalibration? Choose(double[] scores, double[] labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Length < 20 || labels.Distinct().Count() < 2)
        {
            return null;
        }

        int half = scores.Length / 2;
        double sigmoid = 0, isotonic = 0, none = 0;
        foreach (var (fitFrom, fitTo, testFrom, testTo) in new[] { (0, half, half, scores.Length), (half, scores.Length, 0, half) })
        {
            var fitScores = scores.AsSpan(fitFrom, fitTo - fitFrom);
            var fitLabels = labels.AsSpan(fitFrom, fitTo - fitFrom);
            var held = scores[testFrom..testTo];
            var heldLabels = labels.AsSpan(testFrom, testTo - testFrom);
            var platt = PlattCalibrator.Fit(fitScores, fitLabels);
            var steps = IsotonicCalibrator.Fit(fitScores, fitLabels);
            sigmoid += ClassificationMetrics.LogLoss(held.Select(platt.Calibrate).ToArray(), heldLabels);
            isotonic += ClassificationMetrics.LogLoss(held.Select(steps.Calibrate).ToArray(), heldLabels);
            none += ClassificationMetrics.LogLoss(held, heldLabels);
        }

        if (none <= Math.Min(sigmoid, isotonic))
        {
            return null;
        }

        return isotonic < sigmoid
            ? new ScoreCalibration(IsotonicCalibrator.Fit(scores, labels))
            : new ScoreCalibration(PlattCalibrator.Fit(scores, labels));
    }
}

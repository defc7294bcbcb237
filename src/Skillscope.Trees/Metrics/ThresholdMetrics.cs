namespace Skillscope.Trees.Metrics;

/// <summary>Hard-decision metrics at one probability threshold.</summary>
/// <param name="Threshold">Probability at or above which a row is predicted positive.</param>
/// <param name="Accuracy">Fraction of rows predicted correctly.</param>
/// <param name="Precision">True positives over predicted positives (0 when none are predicted).</param>
/// <param name="Recall">True positives over actual positives (0 when there are none).</param>
/// <param name="F1">Harmonic mean of precision and recall.</param>
/// <param name="TruePositives">Count of true positives.</param>
/// <param name="FalsePositives">Count of false positives.</param>
/// <param name="TrueNegatives">Count of true negatives.</param>
/// <param name="FalseNegatives">Count of false negatives.</param>
public sealed record ThresholdMetrics(
    double Threshold, double Accuracy, double Precision, double Recall, double F1,
    int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives);

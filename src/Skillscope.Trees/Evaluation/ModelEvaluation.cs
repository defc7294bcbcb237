using Skillscope.Trees.Explanation;
using Skillscope.Trees.Metrics;

namespace Skillscope.Trees.Evaluation;

/// <summary>Everything an evaluation report shows for one model on one labelled data set.</summary>
/// <param name="Name">How the report names the model (usually its file name).</param>
/// <param name="Objective">The model's objective.</param>
/// <param name="RowCount">Rows evaluated.</param>
/// <param name="Calibration">How the scores were calibrated ("none", "sigmoid", "isotonic").</param>
/// <param name="Metrics">Metric name → value, in display order.</param>
/// <param name="Roc">ROC curve points (binary models; empty otherwise).</param>
/// <param name="Reliability">Reliability-diagram bins (binary models; empty otherwise).</param>
/// <param name="ScoreHistogram">Counts of scores in 20 equal-width bins between <paramref name="ScoreMin"/> and <paramref name="ScoreMax"/>.</param>
/// <param name="ScoreMin">Lower edge of the histogram.</param>
/// <param name="ScoreMax">Upper edge of the histogram.</param>
/// <param name="Importance">Features by total gain, largest first.</param>
public sealed record ModelEvaluation(
    string Name,
    string Objective,
    int RowCount,
    string Calibration,
    IReadOnlyList<KeyValuePair<string, double>> Metrics,
    IReadOnlyList<(double FalsePositiveRate, double TruePositiveRate, double Threshold)> Roc,
    IReadOnlyList<CalibrationBin> Reliability,
    IReadOnlyList<int> ScoreHistogram,
    double ScoreMin,
    double ScoreMax,
    IReadOnlyList<FeatureImportance> Importance)
{
    /// <summary>Whether the model is a binary classifier (ROC and calibration apply).</summary>
    public bool IsBinary => Roc.Count > 0;
}

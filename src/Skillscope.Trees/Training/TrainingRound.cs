namespace Skillscope.Trees.Training;

/// <summary>What one boosting round achieved.</summary>
/// <param name="Round">0-based round index.</param>
/// <param name="Metric">Metric name, e.g. <c>logloss</c>.</param>
/// <param name="Train">
/// The metric on the training data: every round when training reports progress, otherwise only the last
/// round (as XGBoost evaluates only the data it is asked to watch; the metric costs a pass over every row).
/// </param>
/// <param name="Validation">The metric on the validation data, if any was given.</param>
public sealed record TrainingRound(int Round, string Metric, double? Train, double? Validation);

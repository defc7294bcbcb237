namespace Skillscope.Trees.Training;

/// <summary>
/// A labelled data set for training or evaluation: a dense row-major feature matrix (NaN = missing),
/// one label per row and optional per-row weights.
/// </summary>
public sealed class TrainingData
{
    /// <summary>Creates the data set after checking its shape and that labels and weights are finite.</summary>
    /// <exception cref="TrainingException">Empty data, mismatched lengths, a non-finite label or a negative weight.</exception>
    public TrainingData(float[] features, float[] labels, int featureCount, IReadOnlyList<string>? featureNames = null, float[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (featureCount <= 0)
        {
            throw new TrainingException("the data has no feature columns");
        }

        if (labels.Length == 0)
        {
            throw new TrainingException("the data has no rows");
        }

        if (features.LongLength != (long)labels.Length * featureCount)
        {
            throw new TrainingException($"mismatched lengths: {labels.Length} labels but {features.LongLength} feature values for {featureCount} features");
        }

        if (featureNames is not null && featureNames.Count != featureCount)
        {
            throw new TrainingException($"mismatched lengths: {featureNames.Count} feature names for {featureCount} features");
        }

        if (weights is not null && weights.Length != labels.Length)
        {
            throw new TrainingException($"mismatched lengths: {weights.Length} weights for {labels.Length} rows");
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (!float.IsFinite(labels[i]))
            {
                throw new TrainingException($"row {i + 1}: the label is {labels[i]}; labels must be finite numbers");
            }

            if (weights is not null && !(weights[i] >= 0 && float.IsFinite(weights[i])))
            {
                throw new TrainingException($"row {i + 1}: the weight is {weights[i]}; weights must be finite and ≥ 0");
            }
        }

        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
        FeatureNames = featureNames;
        Weights = weights;
    }

    /// <summary>Row-major features, <see cref="RowCount"/> × <see cref="FeatureCount"/>; NaN is missing.</summary>
    public float[] Features { get; }

    /// <summary>One label per row.</summary>
    public float[] Labels { get; }

    /// <summary>Per-row weights, or null for all 1.</summary>
    public float[]? Weights { get; }

    /// <summary>Columns per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Feature names, or null when the columns are unnamed.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount => Labels.Length;

    /// <summary>The weight of a row (1 when there are no weights).</summary>
    public float WeightOf(int row) => Weights is null ? 1f : Weights[row];
}

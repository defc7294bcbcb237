namespace Skillscope.Trees.Model;

/// <summary>
/// A gblinear model: <c>Weights[feature * groups + group]</c>, then one bias per group at the end,
/// exactly XGBoost's layout.
/// </summary>
internal sealed class LinearWeights(float[] weights, int featureCount, int groupCount)
{
    public float[] Weights { get; } = weights;

    public int FeatureCount { get; } = featureCount;

    public int GroupCount { get; } = groupCount;

    public float Weight(int feature, int group) => Weights[(feature * GroupCount) + group];

    public float Bias(int group) => Weights[(FeatureCount * GroupCount) + group];
}

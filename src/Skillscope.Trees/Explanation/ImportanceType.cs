namespace Skillscope.Trees.Explanation;

/// <summary>The kinds of global feature importance XGBoost's <c>get_score</c> reports.</summary>
public enum ImportanceType
{
    /// <summary>Number of splits on the feature (for gblinear: the coefficients).</summary>
    Weight,

    /// <summary>Average loss reduction of the feature's splits.</summary>
    Gain,

    /// <summary>Average cover (hessian sum) of the feature's splits.</summary>
    Cover,

    /// <summary>Total loss reduction of the feature's splits.</summary>
    TotalGain,

    /// <summary>Total cover of the feature's splits.</summary>
    TotalCover,
}

/// <summary>One feature's importance: one value for tree models, one per output group for gblinear.</summary>
/// <param name="Index">The feature's position.</param>
/// <param name="Name">The feature's name, or <c>f{index}</c> when the model has none (as XGBoost names it).</param>
/// <param name="Values">The score(s).</param>
public sealed record FeatureImportance(int Index, string Name, IReadOnlyList<float> Values);

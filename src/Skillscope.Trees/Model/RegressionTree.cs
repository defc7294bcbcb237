namespace Skillscope.Trees.Model;

/// <summary>
/// One decision tree exactly as XGBoost stores it: parallel arrays indexed by XGBoost's own node ids
/// (kept so that leaf indices match <c>pred_leaf</c>). Validated on construction by the reader:
/// every reachable node's children are in range, the graph from the root is a tree, and leaf values
/// and thresholds are numbers.
/// </summary>
internal sealed class RegressionTree
{
    public required int[] LeftChildren { get; init; }

    public required int[] RightChildren { get; init; }

    /// <summary>Feature index per internal node; -1 for leaves and unreachable (deleted) nodes.</summary>
    public required int[] SplitFeatures { get; init; }

    /// <summary>For internal nodes the threshold, for leaves the leaf value (XGBoost keeps both in one union).</summary>
    public required float[] SplitConditions { get; init; }

    public required bool[] DefaultLeft { get; init; }

    /// <summary>Per node, the sorted categories that go right, or null for a numerical split or a leaf.</summary>
    public required int[]?[] RightCategories { get; init; }

    /// <summary>Per node, the bitset size (in categories) XGBoost 1.x derived from the largest listed category.</summary>
    public required int[] CategoryBitsetSizes { get; init; }

    public required float[] SumHessians { get; init; }

    public required float[] LossChanges { get; init; }

    public required float[] BaseWeights { get; init; }

    /// <summary>Longest root-to-leaf path, in edges.</summary>
    public required int Depth { get; init; }

    public required bool HasCategoricalSplits { get; init; }

    public int NodeCount => LeftChildren.Length;

    public bool IsLeaf(int node) => LeftChildren[node] < 0;
}

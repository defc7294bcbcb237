using System.Runtime.CompilerServices;
using Skillscope.Trees.Model;

namespace Skillscope.Trees.Prediction;

/// <summary>
/// XGBoost's routing rules on the original node arrays, one node at a time. This is the reference every
/// faster layout must agree with, and the path for trees those layouts do not take (categorical, very deep).
/// </summary>
internal static class ExactTreeWalker
{
    /// <summary>XGBoost treats categories at or above 2^24 as invalid: a float32 cannot hold them exactly.</summary>
    private const float MaxCategory = 1 << 24;

    /// <summary>Returns the id of the leaf <paramref name="row"/> reaches.</summary>
    public static int FindLeaf(RegressionTree tree, ReadOnlySpan<float> row, bool invalidCategoryGoesDefault)
    {
        int node = 0;
        var left = tree.LeftChildren;
        while (left[node] >= 0)
        {
            node = NextNode(tree, node, row[tree.SplitFeatures[node]], invalidCategoryGoesDefault);
        }

        return node;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int NextNode(RegressionTree tree, int node, float value, bool invalidCategoryGoesDefault)
    {
        if (float.IsNaN(value))
        {
            return tree.DefaultLeft[node] ? tree.LeftChildren[node] : tree.RightChildren[node];
        }

        if (tree.RightCategories[node] is { } categories)
        {
            return GoesLeftOnCategory(tree, node, categories, value, invalidCategoryGoesDefault)
                ? tree.LeftChildren[node]
                : tree.RightChildren[node];
        }

        return value < tree.SplitConditions[node] ? tree.LeftChildren[node] : tree.RightChildren[node];
    }

    private static bool GoesLeftOnCategory(RegressionTree tree, int node, int[] categories, float value, bool invalidCategoryGoesDefault)
    {
        // Invalid means negative, beyond what float32 holds exactly, or beyond the node's bitset.
        bool invalid = value < 0 || value >= MaxCategory || value >= tree.CategoryBitsetSizes[node];
        if (invalid)
        {
            return !invalidCategoryGoesDefault || tree.DefaultLeft[node];
        }

        // The listed categories go right; the value is truncated to an integer as XGBoost's cast does.
        return Array.BinarySearch(categories, (int)value) < 0;
    }
}

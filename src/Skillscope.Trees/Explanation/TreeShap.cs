using Skillscope.Trees.Model;
using Skillscope.Trees.Prediction;

namespace Skillscope.Trees.Explanation;

/// <summary>
/// Exact path-dependent TreeSHAP (Lundberg, Erion &amp; Lee, 2018) as XGBoost's <c>pred_contribs</c> computes it:
/// node covers (<c>sum_hessian</c>) give the conditional distribution, and every operation is float32 in
/// XGBoost's order, so contributions match to rounding. Per tree the contributions plus the tree's
/// cover-weighted mean leaf value sum to the tree's output.
/// </summary>
internal static class TreeShap
{
    /// <summary>Path buffer elements needed for a tree of the given depth (XGBoost's (d+2)(d+3)/2).</summary>
    public static int PathBufferSize(int depth) => ((depth + 2) * (depth + 3)) / 2;

    /// <summary>The cover-weighted mean of the leaves under every node (XGBoost's <c>FillNodeMeanValues</c>).</summary>
    public static float[] NodeMeanValues(RegressionTree tree)
    {
        var means = new float[tree.NodeCount];
        Fill(tree, 0, means);
        return means;

        static float Fill(RegressionTree tree, int node, float[] means)
        {
            float result;
            if (tree.IsLeaf(node))
            {
                result = tree.SplitConditions[node];
            }
            else
            {
                int left = tree.LeftChildren[node];
                int right = tree.RightChildren[node];
                result = Fill(tree, left, means) * tree.SumHessians[left];
                result += Fill(tree, right, means) * tree.SumHessians[right];
                result /= tree.SumHessians[node];
            }

            means[node] = result;
            return result;
        }
    }

    /// <summary>
    /// Adds one tree's contributions for <paramref name="row"/> into <paramref name="phi"/>
    /// (features, then the bias at index <c>features</c>).
    /// </summary>
    public static void AddTreeContributions(
        RegressionTree tree, float[] meanValues, ReadOnlySpan<float> row, Span<float> phi, Span<PathElement> pathBuffer, bool invalidCategoryGoesDefault)
    {
        phi[row.Length] += meanValues[0];
        var walk = new Walk(tree, row, invalidCategoryGoesDefault);
        walk.Recurse(phi, pathBuffer, 0, 0, 0, 1, 1, -1);
    }

    internal struct PathElement
    {
        public int FeatureIndex;
        public float ZeroFraction;
        public float OneFraction;
        public float PathWeight;
    }

    private readonly ref struct Walk(RegressionTree tree, ReadOnlySpan<float> row, bool invalidCategoryGoesDefault)
    {
        private readonly RegressionTree _tree = tree;
        private readonly ReadOnlySpan<float> _row = row;
        private readonly bool _invalidCategoryGoesDefault = invalidCategoryGoesDefault;

        /// <param name="phi">Contributions being accumulated.</param>
        /// <param name="buffer">All path levels; this call's path starts at <paramref name="pathStart"/>.</param>
        /// <param name="pathStart">Where the parent's path begins in <paramref name="buffer"/> (0 for the root's virtual parent).</param>
        /// <param name="node">The node being visited.</param>
        /// <param name="depth">Length of the parent's unique path (minus one).</param>
        /// <param name="parentZeroFraction">Share of cover flowing into this node from the parent.</param>
        /// <param name="parentOneFraction">1 when this node is on the row's own path, else 0.</param>
        /// <param name="parentFeature">The feature the parent split on, -1 at the root.</param>
        public void Recurse(
            Span<float> phi, Span<PathElement> buffer, int pathStart, int node, int depth,
            float parentZeroFraction, float parentOneFraction, int parentFeature)
        {
            // Each level copies its parent's path and extends it; the copy lives just past the parent's.
            int start = pathStart + depth + 1;
            var path = buffer[start..];
            buffer.Slice(pathStart, depth + 1).CopyTo(path);

            ExtendPath(path, depth, parentZeroFraction, parentOneFraction, parentFeature);
            var tree = _tree;
            if (tree.IsLeaf(node))
            {
                float leaf = tree.SplitConditions[node];
                for (int i = 1; i <= depth; i++)
                {
                    float w = UnwoundPathSum(path, depth, i);
                    ref var element = ref path[i];
                    phi[element.FeatureIndex] += w * (element.OneFraction - element.ZeroFraction) * leaf;
                }

                return;
            }

            int feature = tree.SplitFeatures[node];
            int hot = ExactTreeWalker.NextNode(tree, node, _row[feature], _invalidCategoryGoesDefault);
            int cold = hot == tree.LeftChildren[node] ? tree.RightChildren[node] : tree.LeftChildren[node];
            float cover = tree.SumHessians[node];
            float hotZeroFraction = tree.SumHessians[hot] / cover;
            float coldZeroFraction = tree.SumHessians[cold] / cover;
            float incomingZeroFraction = 1;
            float incomingOneFraction = 1;

            // A feature already on the path is unwound so that this split can take its place.
            int pathIndex = 0;
            for (; pathIndex <= depth; pathIndex++)
            {
                if (path[pathIndex].FeatureIndex == feature)
                {
                    break;
                }
            }

            if (pathIndex != depth + 1)
            {
                incomingZeroFraction = path[pathIndex].ZeroFraction;
                incomingOneFraction = path[pathIndex].OneFraction;
                UnwindPath(path, depth, pathIndex);
                depth--;
            }

            Recurse(phi, buffer, start, hot, depth + 1, hotZeroFraction * incomingZeroFraction, incomingOneFraction, feature);
            Recurse(phi, buffer, start, cold, depth + 1, coldZeroFraction * incomingZeroFraction, 0, feature);
        }
    }

    /// <summary>Extends a path by one element (XGBoost's <c>ExtendPath</c>); used by <see cref="ShapTable"/> too.</summary>
    internal static void Extend(Span<PathElement> path, int depth, float zeroFraction, float oneFraction, int feature) =>
        ExtendPath(path, depth, zeroFraction, oneFraction, feature);

    /// <summary>The path weight of element <paramref name="pathIndex"/> with it unwound (XGBoost's <c>UnwoundPathSum</c>).</summary>
    internal static float UnwoundSum(Span<PathElement> path, int depth, int pathIndex) => UnwoundPathSum(path, depth, pathIndex);

    private static void ExtendPath(Span<PathElement> path, int depth, float zeroFraction, float oneFraction, int feature)
    {
        path[depth].FeatureIndex = feature;
        path[depth].ZeroFraction = zeroFraction;
        path[depth].OneFraction = oneFraction;
        path[depth].PathWeight = depth == 0 ? 1.0f : 0.0f;
        for (int i = depth - 1; i >= 0; i--)
        {
            path[i + 1].PathWeight += oneFraction * path[i].PathWeight * (i + 1) / (float)(depth + 1);
            path[i].PathWeight = zeroFraction * path[i].PathWeight * (depth - i) / (float)(depth + 1);
        }
    }

    private static void UnwindPath(Span<PathElement> path, int depth, int pathIndex)
    {
        float oneFraction = path[pathIndex].OneFraction;
        float zeroFraction = path[pathIndex].ZeroFraction;
        float nextOnePortion = path[depth].PathWeight;
        for (int i = depth - 1; i >= 0; i--)
        {
            if (oneFraction != 0)
            {
                float tmp = path[i].PathWeight;
                path[i].PathWeight = nextOnePortion * (depth + 1) / ((i + 1) * oneFraction);
                nextOnePortion = tmp - (path[i].PathWeight * zeroFraction * (depth - i) / (float)(depth + 1));
            }
            else
            {
                path[i].PathWeight = path[i].PathWeight * (depth + 1) / (zeroFraction * (depth - i));
            }
        }

        for (int i = pathIndex; i < depth; i++)
        {
            path[i].FeatureIndex = path[i + 1].FeatureIndex;
            path[i].ZeroFraction = path[i + 1].ZeroFraction;
            path[i].OneFraction = path[i + 1].OneFraction;
        }
    }

    private static float UnwoundPathSum(Span<PathElement> path, int depth, int pathIndex)
    {
        float oneFraction = path[pathIndex].OneFraction;
        float zeroFraction = path[pathIndex].ZeroFraction;
        float nextOnePortion = path[depth].PathWeight;
        float total = 0;
        for (int i = depth - 1; i >= 0; i--)
        {
            if (oneFraction != 0)
            {
                float tmp = nextOnePortion * (depth + 1) / ((i + 1) * oneFraction);
                total += tmp;
                nextOnePortion = path[i].PathWeight - (tmp * zeroFraction * ((depth - i) / (float)(depth + 1)));
            }
            else if (zeroFraction != 0)
            {
                total += path[i].PathWeight / zeroFraction / ((depth - i) / (float)(depth + 1));
            }
        }

        return total;
    }
}

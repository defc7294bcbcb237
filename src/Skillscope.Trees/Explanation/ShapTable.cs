using Skillscope.Trees.Model;
using Skillscope.Trees.Prediction;

namespace Skillscope.Trees.Explanation;

/// <summary>
/// Path-dependent TreeSHAP with the per-leaf work done once, at load time. A leaf's share of every
/// contribution depends on the row only through which of its path's features the row follows ("hot")
/// — the cover fractions are fixed — so for each leaf and each hot/cold pattern of its d distinct path
/// features the d contributions are computed in advance (2^d · d numbers per leaf). Explaining a row
/// is then one decision per split and one table read per leaf: no path extension and no division.
/// Equal to <see cref="TreeShap"/> up to float rounding (the sums run in another order), so it serves
/// ranking evidence; <c>pred_contribs</c> output keeps the exact XGBoost-order algorithm.
/// </summary>
internal sealed class ShapTable
{
    /// <summary>Trees whose leaves have more distinct path features than this are not tabulated.</summary>
    public const int MaxPathFeatures = 10;

    private readonly RegressionTree _tree;
    private readonly int[] _leafPathStart;     // per leaf: where its path (split node, child) pairs start in _pathNodes
    private readonly int[] _pathNodes;         // split nodes on each leaf's path, root first
    private readonly byte[] _pathGoesLeft;     // 1 where the path step takes the left child
    private readonly int[] _pathBits;          // which distinct-feature bit each step belongs to
    private readonly int[] _leafFeatureStart;  // per leaf: where its distinct features start in _leafFeatures
    private readonly int[] _leafFeatures;
    private readonly int[] _leafTableStart;    // per leaf: where its 2^d · d table starts in _table
    private readonly float[] _table;

    private ShapTable(RegressionTree tree, int[] leafPathStart, int[] pathNodes, byte[] pathGoesLeft, int[] pathBits,
        int[] leafFeatureStart, int[] leafFeatures, int[] leafTableStart, float[] table)
    {
        _tree = tree;
        _leafPathStart = leafPathStart;
        _pathNodes = pathNodes;
        _pathGoesLeft = pathGoesLeft;
        _pathBits = pathBits;
        _leafFeatureStart = leafFeatureStart;
        _leafFeatures = leafFeatures;
        _leafTableStart = leafTableStart;
        _table = table;
    }

    /// <summary>Builds the table of one tree, or null when some leaf's path has too many distinct features.</summary>
    public static ShapTable? Build(RegressionTree tree)
    {
        var leafPathStart = new List<int> { 0 };
        var pathNodes = new List<int>();
        var pathGoesLeft = new List<byte>();
        var pathBits = new List<int>();
        var leafFeatureStart = new List<int> { 0 };
        var leafFeatures = new List<int>();
        var leafTableStart = new List<int> { 0 };
        var table = new List<float>();
        var stack = new List<(int Node, int Child)>();
        var zero = new float[MaxPathFeatures];
        var one = new float[MaxPathFeatures];
        var path = new TreeShap.PathElement[MaxPathFeatures + 1];
        bool fits = true;

        void Visit(int node)
        {
            if (!fits)
            {
                return;
            }

            if (!tree.IsLeaf(node))
            {
                foreach (int child in new[] { tree.LeftChildren[node], tree.RightChildren[node] })
                {
                    stack.Add((node, child));
                    Visit(child);
                    stack.RemoveAt(stack.Count - 1);
                }

                return;
            }

            // The leaf's distinct path features, in order of first appearance, with their combined cover fraction.
            var features = new List<int>();
            var fraction = new List<float>();
            foreach (var (split, child) in stack)
            {
                int feature = tree.SplitFeatures[split];
                int bit = features.IndexOf(feature);
                if (bit < 0)
                {
                    bit = features.Count;
                    features.Add(feature);
                    fraction.Add(1);
                }

                fraction[bit] *= tree.SumHessians[child] / tree.SumHessians[split];
                pathNodes.Add(split);
                pathGoesLeft.Add(child == tree.LeftChildren[split] ? (byte)1 : (byte)0);
                pathBits.Add(bit);
            }

            if (features.Count > MaxPathFeatures)
            {
                fits = false;
                return;
            }

            int d = features.Count;
            float leaf = tree.SplitConditions[node];
            for (int pattern = 0; pattern < 1 << d; pattern++)
            {
                for (int j = 0; j < d; j++)
                {
                    zero[j] = fraction[j];
                    one[j] = (pattern >> j & 1) != 0 ? 1 : 0;
                }

                table.AddRange(LeafContributions(zero.AsSpan(0, d), one.AsSpan(0, d), leaf, path));
            }

            leafPathStart.Add(pathNodes.Count);
            leafFeatures.AddRange(features);
            leafFeatureStart.Add(leafFeatures.Count);
            leafTableStart.Add(table.Count);
        }

        Visit(0);
        return fits
            ? new ShapTable(tree, [.. leafPathStart], [.. pathNodes], [.. pathGoesLeft], [.. pathBits], [.. leafFeatureStart], [.. leafFeatures], [.. leafTableStart], [.. table])
            : null;
    }

    /// <summary>
    /// Adds this tree's contributions for <paramref name="row"/>, times <paramref name="weight"/>, into
    /// <paramref name="phi"/> (features only); <paramref name="goesLeft"/> is scratch of one byte per node.
    /// </summary>
    public void Add(ReadOnlySpan<float> row, Span<float> phi, float weight, bool invalidCategoryGoesDefault, Span<byte> goesLeft)
    {
        var tree = _tree;
        var left = tree.LeftChildren;
        var features = tree.SplitFeatures;
        if (tree.HasCategoricalSplits)
        {
            for (int node = 0; node < left.Length; node++)
            {
                goesLeft[node] = left[node] >= 0 && ExactTreeWalker.NextNode(tree, node, row[features[node]], invalidCategoryGoesDefault) == left[node] ? (byte)1 : (byte)0;
            }
        }
        else
        {
            // Numerical splits only: XGBoost's rule inline (x < threshold goes left, missing takes the default).
            var thresholds = tree.SplitConditions;
            var defaultLeft = tree.DefaultLeft;
            for (int node = 0; node < left.Length; node++)
            {
                if (left[node] >= 0)
                {
                    float x = row[features[node]];
                    goesLeft[node] = (float.IsNaN(x) ? defaultLeft[node] : x < thresholds[node]) ? (byte)1 : (byte)0;
                }
            }
        }

        int leaves = _leafPathStart.Length - 1;
        var pathNodes = _pathNodes;
        var pathGoesLeft = _pathGoesLeft;
        var pathBits = _pathBits;
        var table = _table;
        var leafFeatures = _leafFeatures;
        for (int leaf = 0; leaf < leaves; leaf++)
        {
            int featureStart = _leafFeatureStart[leaf], d = _leafFeatureStart[leaf + 1] - featureStart;
            int cold = 0;
            for (int step = _leafPathStart[leaf]; step < _leafPathStart[leaf + 1]; step++)
            {
                // A feature is hot only if the row follows the path at every split on it.
                cold |= (goesLeft[pathNodes[step]] ^ pathGoesLeft[step]) << pathBits[step];
            }

            int pattern = ((1 << d) - 1) & ~cold;
            int at = _leafTableStart[leaf] + (pattern * d);
            for (int j = 0; j < d; j++)
            {
                phi[leafFeatures[featureStart + j]] += table[at + j] * weight;
            }
        }
    }

    /// <summary>One leaf's contribution to each of its path features, for given cover and hot fractions (the TreeSHAP leaf step).</summary>
    private static float[] LeafContributions(ReadOnlySpan<float> zero, ReadOnlySpan<float> one, float leaf, TreeShap.PathElement[] path)
    {
        int d = zero.Length;
        TreeShap.Extend(path, 0, 1, 1, -1);
        for (int j = 0; j < d; j++)
        {
            TreeShap.Extend(path, j + 1, zero[j], one[j], j);
        }

        var contributions = new float[d];
        for (int j = 0; j < d; j++)
        {
            float w = TreeShap.UnwoundSum(path, d, j + 1);
            contributions[j] = w * (one[j] - zero[j]) * leaf;
        }

        return contributions;
    }
}

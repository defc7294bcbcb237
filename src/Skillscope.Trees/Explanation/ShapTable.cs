using Skillscope.Trees.Model;
using Skillscope.Trees.Prediction;

namespace Skillscope.Trees.Explanation;

/// <summary>
/// Path-dependent TreeSHAP with the per-leaf work done once, at load time. A leaf's share of every
/// contribution depends on the row only through which of its path's features the row follows ("hot")
/// — the cover fractions are fixed — so for each leaf and each hot/cold pattern of its d distinct path
/// features the d contributions are computed in advance (d · 2^d numbers per leaf, feature by feature). Explaining a row
/// is then one decision per split and one table read per leaf: no path extension and no division.
/// Equal to <see cref="TreeShap"/> up to float rounding (the sums run in another order), so it serves
/// ranking evidence; <c>pred_contribs</c> output keeps the exact XGBoost-order algorithm.
/// </summary>
internal sealed class ShapTable
{
    /// <summary>Trees whose leaves have more distinct path features than this are not tabulated.</summary>
    public const int MaxPathFeatures = 10;

    /// <summary>Zeros after the last leaf's values.</summary>
    public const int TableSlack = 16;

    private readonly RegressionTree _tree;
    private readonly int[] _nodeBits;          // per split node: its feature's bit among the distinct features of its path
    private readonly int[] _leafIndex;         // per node: the leaf's number in table order, -1 for splits
    private readonly int[] _leafFeatureStart;  // per leaf: where its distinct features start in _leafFeatures
    private readonly int[] _leafFeatures;
    private readonly int[] _leafTableStart;    // per leaf: where its d · 2^d values start in _table (feature j's 2^d patterns from j · 2^d)
    private readonly float[] _table;

    private ShapTable(RegressionTree tree, int[] nodeBits, int[] leafIndex, int[] leafFeatureStart, int[] leafFeatures, int[] leafTableStart, float[] table)
    {
        _tree = tree;
        _nodeBits = nodeBits;
        _leafIndex = leafIndex;
        _leafFeatureStart = leafFeatureStart;
        _leafFeatures = leafFeatures;
        _leafTableStart = leafTableStart;
        _table = table;
    }

    /// <summary>The leaf's number in table order, for a leaf node of the tree.</summary>
    public int LeafOf(int node) => _leafIndex[node];

    /// <summary>A leaf's distinct path features in order of first appearance: bit j of a pattern is feature j's.</summary>
    public ReadOnlySpan<int> FeaturesOf(int leaf) => _leafFeatures.AsSpan(_leafFeatureStart[leaf], _leafFeatureStart[leaf + 1] - _leafFeatureStart[leaf]);

    /// <summary>
    /// Every leaf's contributions, feature by feature: feature j's value for hot/cold pattern p of a leaf's d features
    /// at its start + j·2^d + p. Per feature rather than per pattern so that a batch looks 16 rows up with one
    /// permute; one row reads d nearby values instead of d adjacent ones.
    /// </summary>
    public float[] Table => _table;

    /// <summary>Where a leaf's part of <see cref="Table"/> starts.</summary>
    public int TableStart(int leaf) => _leafTableStart[leaf];

    /// <summary>Builds the table of one tree, or null when some leaf's path has too many distinct features.</summary>
    public static ShapTable? Build(RegressionTree tree)
    {
        var nodeBits = new int[tree.NodeCount];
        var leafIndex = new int[tree.NodeCount];
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
                leafIndex[node] = -1;
                var above = new List<int>();
                foreach (var (split, _) in stack)
                {
                    if (!above.Contains(tree.SplitFeatures[split]))
                    {
                        above.Add(tree.SplitFeatures[split]);
                    }
                }

                int own = above.IndexOf(tree.SplitFeatures[node]);
                nodeBits[node] = own >= 0 ? own : above.Count;
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
            }

            if (features.Count > MaxPathFeatures)
            {
                fits = false;
                return;
            }

            int d = features.Count;
            float leaf = tree.SplitConditions[node];
            int start = table.Count;
            table.AddRange(new float[d << d]);
            for (int pattern = 0; pattern < 1 << d; pattern++)
            {
                for (int j = 0; j < d; j++)
                {
                    zero[j] = fraction[j];
                    one[j] = (pattern >> j & 1) != 0 ? 1 : 0;
                }

                var values = LeafContributions(zero.AsSpan(0, d), one.AsSpan(0, d), leaf, path);
                for (int j = 0; j < d; j++)
                {
                    table[start + (j << d) + pattern] = values[j];
                }
            }

            leafIndex[node] = leafFeatureStart.Count - 1;
            leafFeatures.AddRange(features);
            leafFeatureStart.Add(leafFeatures.Count);
            leafTableStart.Add(table.Count);
        }

        Visit(0);

        // Slack after the last table: a batch reads whole 16-float vectors from a feature's start.
        table.AddRange(new float[TableSlack]);
        return fits
            ? new ShapTable(tree, nodeBits, leafIndex, [.. leafFeatureStart], [.. leafFeatures], [.. leafTableStart], [.. table])
            : null;
    }

    /// <summary>
    /// Adds this tree's contributions for <paramref name="row"/>, times <paramref name="weight"/>, into
    /// <paramref name="phi"/> (features only); <paramref name="pending"/> is scratch of 2·(depth + 1) ints.
    /// </summary>
    /// <remarks>
    /// Every leaf is reached once: the walk follows the child the row takes and leaves the other for
    /// later with that split's feature marked cold (a feature is hot for a leaf only if the row follows
    /// the leaf's path at every split on it).
    /// </remarks>
    public void Add(ReadOnlySpan<float> row, Span<float> phi, float weight, bool invalidCategoryGoesDefault, Span<int> pending)
    {
        var tree = _tree;
        var left = tree.LeftChildren;
        var right = tree.RightChildren;
        var features = tree.SplitFeatures;
        var thresholds = tree.SplitConditions;
        var defaultLeft = tree.DefaultLeft;
        bool categorical = tree.HasCategoricalSplits;
        var nodeBits = _nodeBits;
        var table = _table;
        var leafFeatures = _leafFeatures;
        int top = 0;
        pending[top++] = 0;
        pending[top++] = 0;
        while (top > 0)
        {
            int cold = pending[--top];
            int node = pending[--top];
            while (left[node] >= 0)
            {
                float x = row[features[node]];
                bool goesLeft = categorical
                    ? ExactTreeWalker.NextNode(tree, node, x, invalidCategoryGoesDefault) == left[node]
                    : float.IsNaN(x) ? defaultLeft[node] : x < thresholds[node];
                pending[top++] = goesLeft ? right[node] : left[node];
                pending[top++] = cold | (1 << nodeBits[node]);
                node = goesLeft ? left[node] : right[node];
            }

            int leaf = _leafIndex[node];
            int featureStart = _leafFeatureStart[leaf], d = _leafFeatureStart[leaf + 1] - featureStart;
            int at = _leafTableStart[leaf] + (((1 << d) - 1) & ~cold);
            for (int j = 0; j < d; j++)
            {
                phi[leafFeatures[featureStart + j]] += table[at + (j << d)] * weight;
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

using Skillscope.Trees.Model;

namespace Skillscope.Trees.Prediction;

/// <summary>
/// The trees of a predictor re-laid out for speed. Runs of up to <see cref="Lanes"/> consecutive eligible trees
/// form a chunk: each tree becomes a complete binary tree in heap order (children of i at 2i+1 and 2i+2)
/// padded to the chunk's depth, and the chunk's trees are interleaved node by node (node i of lane k at
/// <c>i * Lanes + k</c>). Walking is then a fixed number of branch-free steps <c>i = 2i + 1 + (x ≥ t)</c>, and
/// eight independent walks (eight trees for one row, or eight rows on one tree) run in lock-step, which
/// hides the load latency a single walk is bound by.
/// </summary>
/// <remarks>
/// Missing values never reach a comparison: rows are first expanded into two views per feature, missing
/// replaced by +∞ (goes right) in view 0 and by −∞ (goes left) in view 1, and each node reads the view its
/// default direction needs (<c>2·feature + defaultLeft</c>). A tree is eligible unless it has categorical
/// splits, is deeper than <see cref="MaxCompleteDepth"/> or has a −∞ threshold (where −∞ would not go left);
/// those trees keep their original arrays and use <see cref="ExactTreeWalker"/>. Padding repeats a leaf
/// below dummy splits, so either direction gives the same value. Leaf values are pre-multiplied by the
/// tree's weight (dart), the same float32 product XGBoost computes.
/// </remarks>
internal sealed class CompleteTreeLayout
{
    /// <summary>Beyond this depth padding costs more memory than it saves time.</summary>
    public const int MaxCompleteDepth = 10;

    /// <summary>Trees per chunk, and rows per block in the batch kernel.</summary>
    public const int Lanes = 8;

    public CompleteTreeLayout(XgboostModel model, int treeEnd)
    {
        var steps = new List<LayoutStep>();
        int nodeTotal = 0;
        int leafTotal = 0;
        int t = 0;
        while (t < treeEnd)
        {
            if (!IsEligible(model.Trees[t]))
            {
                steps.Add(new LayoutStep(t, 0, 0, -1, -1));
                t++;
                continue;
            }

            int start = t;
            int depth = 0;
            while (t < treeEnd && t - start < Lanes && IsEligible(model.Trees[t]))
            {
                depth = Math.Max(depth, model.Trees[t].Depth);
                t++;
            }

            steps.Add(new LayoutStep(start, t - start, depth, nodeTotal, leafTotal));
            nodeTotal += ((1 << depth) - 1) * Lanes;
            leafTotal += (1 << depth) * Lanes;
        }

        Steps = [.. steps];
        Nodes = new PackedNode[Math.Max(nodeTotal, 1)];
        Leaves = new float[Math.Max(leafTotal, 1)];
        TreeGroups = model.TreeGroups;
        foreach (var step in Steps)
        {
            for (int lane = 0; lane < step.LaneCount; lane++)
            {
                int tree = step.FirstTree + lane;
                Fill(model.Trees[tree], model.TreeWeights[tree], step, lane, 0, 0, 0);
            }
        }
    }

    /// <summary>Chunks and exact-walker trees, in tree order.</summary>
    public LayoutStep[] Steps { get; }

    /// <summary>Interleaved internal nodes of all chunks.</summary>
    public PackedNode[] Nodes { get; }

    public float[] Leaves { get; }

    public int[] TreeGroups { get; }

    /// <summary>Floats an expanded row block takes: two views per feature, each strided for <see cref="Lanes"/> rows.</summary>
    public static int ExpandedLength(int featureCount) => 2 * featureCount * Lanes;

    /// <summary>
    /// Writes the two-view expansion of <paramref name="row"/> as lane <paramref name="lane"/> of a block:
    /// view v of feature f at ((2f + v)·Lanes + lane).
    /// </summary>
    public static void Expand(ReadOnlySpan<float> row, Span<float> block, int lane)
    {
        for (int f = 0; f < row.Length; f++)
        {
            float x = row[f];
            bool missing = float.IsNaN(x);
            block[(2 * f * Lanes) + lane] = missing ? float.PositiveInfinity : x;
            block[(((2 * f) + 1) * Lanes) + lane] = missing ? float.NegativeInfinity : x;
        }
    }

    private static bool IsEligible(RegressionTree tree)
    {
        if (tree.HasCategoricalSplits || tree.Depth > MaxCompleteDepth)
        {
            return false;
        }

        for (int node = 0; node < tree.NodeCount; node++)
        {
            if (tree.SplitFeatures[node] >= 0 && float.IsNegativeInfinity(tree.SplitConditions[node]))
            {
                return false;
            }
        }

        return true;
    }

    private void Fill(RegressionTree tree, float weight, LayoutStep step, int lane, int node, int slot, int level)
    {
        if (level == step.Depth)
        {
            int leaf = slot - ((1 << step.Depth) - 1);
            Leaves[step.LeafBase + (leaf * Lanes) + lane] = tree.SplitConditions[node] * weight;
            return;
        }

        int at = step.NodeBase + (slot * Lanes) + lane;
        if (tree.IsLeaf(node))
        {
            // Padding: a dummy split whose two sides both end in this leaf.
            Nodes[at] = default;
            Fill(tree, weight, step, lane, node, (2 * slot) + 1, level + 1);
            Fill(tree, weight, step, lane, node, (2 * slot) + 2, level + 1);
            return;
        }

        uint expanded = (uint)((2 * tree.SplitFeatures[node]) + (tree.DefaultLeft[node] ? 1 : 0));
        Nodes[at] = new PackedNode(expanded * Lanes, tree.SplitConditions[node]);
        Fill(tree, weight, step, lane, tree.LeftChildren[node], (2 * slot) + 1, level + 1);
        Fill(tree, weight, step, lane, tree.RightChildren[node], (2 * slot) + 2, level + 1);
    }
}

/// <summary>
/// One unit of work in tree order: a chunk of <see cref="LaneCount"/> interleaved complete trees starting at
/// <see cref="FirstTree"/>, or (when <see cref="NodeBase"/> is -1) one tree for the exact walker.
/// </summary>
internal readonly record struct LayoutStep(int FirstTree, int LaneCount, int Depth, int NodeBase, int LeafBase)
{
    public bool IsExact => NodeBase < 0;
}

/// <summary>
/// An internal node in 8 bytes, so one step touches one cache line: where its value sits in an expanded,
/// lane-strided row ((2·feature + view)·<see cref="CompleteTreeLayout.Lanes"/>), and the threshold.
/// Unsigned so that widening it to an address costs nothing.
/// </summary>
internal readonly record struct PackedNode(uint ValueOffset, float Threshold);

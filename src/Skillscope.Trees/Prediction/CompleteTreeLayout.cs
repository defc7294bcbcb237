using Skillscope.Trees.Model;

namespace Skillscope.Trees.Prediction;

/// <summary>
/// The trees of a predictor re-laid out for speed. A tree without categorical splits and at most
/// <see cref="MaxCompleteDepth"/> deep becomes a complete binary tree in heap order: node i's children
/// are 2i+1 and 2i+2, every path has the same length, and shorter paths are padded by repeating their
/// leaf value below a dummy split (either direction gives the same value). Evaluation is then a fixed
/// number of branch-free steps <c>i = 2i + 1 + goesRight</c>, which is what lets a vector of rows walk a tree
/// together. Other trees keep their original arrays and use <see cref="ExactTreeWalker"/>.
/// </summary>
/// <remarks>
/// Each internal node packs its feature index with the missing-value direction in the sign bit
/// (set = missing goes right), so one load yields both. Leaf values are pre-multiplied by the tree's
/// weight (dart), which gives the same float32 product XGBoost computes when it adds the tree.
/// </remarks>
internal sealed class CompleteTreeLayout
{
    /// <summary>Beyond this depth padding costs more memory than it saves time.</summary>
    public const int MaxCompleteDepth = 10;

    public const int MissingGoesRightBit = unchecked((int)0x80000000);

    public CompleteTreeLayout(XgboostModel model, int treeEnd)
    {
        Slots = new TreeSlot[treeEnd];
        int nodeTotal = 0;
        int leafTotal = 0;
        for (int t = 0; t < treeEnd; t++)
        {
            var tree = model.Trees[t];
            if (IsEligible(tree))
            {
                nodeTotal += (1 << tree.Depth) - 1;
                leafTotal += 1 << tree.Depth;
            }
        }

        PackedFeatures = new int[Math.Max(nodeTotal, 1)];
        Thresholds = new float[Math.Max(nodeTotal, 1)];
        Leaves = new float[Math.Max(leafTotal, 1)];
        int nodeBase = 0;
        int leafBase = 0;
        bool allComplete = true;
        for (int t = 0; t < treeEnd; t++)
        {
            var tree = model.Trees[t];
            int group = model.TreeGroups[t];
            if (!IsEligible(tree))
            {
                Slots[t] = new TreeSlot(-1, 0, 0, group);
                allComplete = false;
                continue;
            }

            int depth = tree.Depth;
            int internalCount = (1 << depth) - 1;
            Fill(tree, model.TreeWeights[t], 0, 0, 0, depth, nodeBase, leafBase);
            // LeafOffset is chosen so that Leaves[LeafOffset + finalIndex] is the leaf: final indices start at 2^depth - 1.
            Slots[t] = new TreeSlot(nodeBase, leafBase - internalCount, depth, group);
            nodeBase += internalCount;
            leafBase += 1 << depth;
        }

        AllComplete = allComplete;
    }

    public TreeSlot[] Slots { get; }

    public int[] PackedFeatures { get; }

    public float[] Thresholds { get; }

    public float[] Leaves { get; }

    /// <summary>True when no tree needs the exact walker.</summary>
    public bool AllComplete { get; }

    private static bool IsEligible(RegressionTree tree) =>
        !tree.HasCategoricalSplits && tree.Depth <= MaxCompleteDepth;

    private void Fill(RegressionTree tree, float weight, int node, int slot, int level, int depth, int nodeBase, int leafBase)
    {
        if (level == depth)
        {
            Leaves[leafBase + slot - ((1 << depth) - 1)] = tree.SplitConditions[node] * weight;
            return;
        }

        if (tree.IsLeaf(node))
        {
            // Padding: a dummy split on feature 0 whose two sides both end in this leaf.
            PackedFeatures[nodeBase + slot] = 0;
            Thresholds[nodeBase + slot] = 0;
            Fill(tree, weight, node, (2 * slot) + 1, level + 1, depth, nodeBase, leafBase);
            Fill(tree, weight, node, (2 * slot) + 2, level + 1, depth, nodeBase, leafBase);
            return;
        }

        PackedFeatures[nodeBase + slot] = tree.SplitFeatures[node] | (tree.DefaultLeft[node] ? 0 : MissingGoesRightBit);
        Thresholds[nodeBase + slot] = tree.SplitConditions[node];
        Fill(tree, weight, tree.LeftChildren[node], (2 * slot) + 1, level + 1, depth, nodeBase, leafBase);
        Fill(tree, weight, tree.RightChildren[node], (2 * slot) + 2, level + 1, depth, nodeBase, leafBase);
    }
}

/// <summary>Where one tree lives in the layout. <see cref="NodeBase"/> is -1 for a tree on the exact walker.</summary>
internal readonly record struct TreeSlot(int NodeBase, int LeafOffset, int Depth, int Group);

using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Skillscope.Trees.Explanation;
using Skillscope.Trees.Model;

namespace Skillscope.Trees.Prediction;

/// <summary>
/// The tabulated TreeSHAP of <see cref="ShapTable"/> laid out for 64 rows at a time on the bit-vector kernel's
/// bins. A leaf's contributions depend on a row only through its hot/cold pattern (which of the leaf's path
/// features the row follows at every split on them), so for a block of rows: every split's direction is one
/// byte compare for 64 rows, a leaf's hot masks are ANDs of its path's directions, its pattern is a byte per
/// row, and each contribution is a lookup in the leaf's table of that feature (at most 64 values, four registers)
/// for 16 rows at once. No row walks a tree, and the tables are <see cref="ShapTable"/>'s own: the layout adds
/// only the paths.
/// </summary>
/// <remarks>
/// Needs AVX-512. Without it, or when any tree of the model lacks a <see cref="ShapTable"/> or has a leaf with
/// more than <see cref="MaxPatternFeatures"/> distinct path features (or the bit-vector kernel does not take the
/// model), the whole model's rows are explained one by one with <see cref="ShapTable"/>. Sums run in another
/// order than the one-row path, so the two agree to float rounding, as both do with XGBoost's <c>pred_contribs</c>.
/// </remarks>
internal sealed class BitVectorShapLayout
{
    /// <summary>A pattern is one byte per row.</summary>
    public const int MaxPatternFeatures = 8;

    /// <summary>Tables of up to 2^6 = 64 values are four registers, looked up by permutes; larger ones row by row.</summary>
    public const int MaxVectorFeatures = 6;

    private BitVectorShapLayout(
        BitSplit[] tests, int[] treeTests, ShapLeafBlock[] leaves, int[] treeLeaves, ShapPathStep[] path, int[] leafFeatures, float[][] treeTables, float[] treeWeights, float[] treeBias, int[] treeGroups)
    {
        Tests = tests;
        TreeTests = treeTests;
        Leaves = leaves;
        TreeLeaves = treeLeaves;
        Path = path;
        LeafFeatures = leafFeatures;
        TreeTables = treeTables;
        TreeWeights = treeWeights;
        TreeBias = treeBias;
        TreeGroups = treeGroups;
    }

    /// <summary>Every split's test (where its bins sit, its rank), tree by tree, in node order.</summary>
    public BitSplit[] Tests { get; }

    /// <summary>Tree t's tests are Tests[TreeTests[t] .. TreeTests[t + 1]].</summary>
    public int[] TreeTests { get; }

    public ShapLeafBlock[] Leaves { get; }

    /// <summary>Tree t's leaves are Leaves[TreeLeaves[t] .. TreeLeaves[t + 1]].</summary>
    public int[] TreeLeaves { get; }

    public ShapPathStep[] Path { get; }

    public int[] LeafFeatures { get; }

    /// <summary>Per tree, its <see cref="ShapTable.Table"/>: a leaf's values by pattern, unweighted.</summary>
    public float[][] TreeTables { get; }

    /// <summary>Per tree, its dart weight (1 otherwise), applied to each value as the one-row path does.</summary>
    public float[] TreeWeights { get; }

    /// <summary>Per tree, its mean leaf value times its weight: what it adds to the bias column.</summary>
    public float[] TreeBias { get; }

    public int[] TreeGroups { get; }

    public int TreeCount => TreeTests.Length - 1;

    /// <summary>Largest number of tests in one tree: the direction buffer holds 64 bytes for each.</summary>
    public int MaxTreeTests { get; private init; }

    /// <summary>Builds the layout, or null when this CPU or these trees need the row-by-row tables.</summary>
    public static BitVectorShapLayout? TryCreate(XgboostModel model, BitVectorLayout bits, int treeEnd)
    {
        if (!Vector512.IsHardwareAccelerated || !Avx512F.IsSupported || !Avx512BW.IsSupported)
        {
            return null;
        }

        var shapTables = model.ShapTables;
        var means = model.NodeMeanValues;
        var tests = new List<BitSplit>();
        var treeTests = new int[treeEnd + 1];
        var leaves = new List<ShapLeafBlock>();
        var treeLeaves = new int[treeEnd + 1];
        var path = new List<ShapPathStep>();
        var leafFeatures = new List<int>();
        var treeTables = new float[treeEnd][];
        var treeBias = new float[treeEnd];
        int maxTests = 0;
        for (int t = 0; t < treeEnd; t++)
        {
            var tree = model.Trees[t];
            if (shapTables[t] is not { } table)
            {
                return null;
            }

            treeTests[t] = tests.Count;
            treeLeaves[t] = leaves.Count;
            float weight = model.TreeWeights[t];
            treeBias[t] = means[t][0] * weight;
            treeTables[t] = table.Table;
            var testOf = new int[tree.NodeCount];
            for (int node = 0; node < tree.NodeCount; node++)
            {
                testOf[node] = -1;
            }

            var stack = new List<(int Node, bool Right)>();
            if (!AddLeaves(tree, 0, table, bits.Slots, stack, testOf, tests, treeTests[t], leaves, path, leafFeatures))
            {
                return null;
            }

            maxTests = Math.Max(maxTests, tests.Count - treeTests[t]);
        }

        treeTests[treeEnd] = tests.Count;
        treeLeaves[treeEnd] = leaves.Count;
        return new BitVectorShapLayout(
            [.. tests], treeTests, [.. leaves], treeLeaves, [.. path], [.. leafFeatures], treeTables, model.TreeWeights[..treeEnd], treeBias, model.TreeGroups[..treeEnd])
        {
            MaxTreeTests = maxTests,
        };
    }

    /// <summary>Depth first: each split becomes a test, each leaf its path (test, direction, feature bit).</summary>
    private static bool AddLeaves(
        RegressionTree tree, int node, ShapTable table, SlotThresholds slots, List<(int Node, bool Right)> stack, int[] testOf,
        List<BitSplit> tests, int firstTest, List<ShapLeafBlock> leaves, List<ShapPathStep> path, List<int> leafFeatures)
    {
        if (!tree.IsLeaf(node))
        {
            var (binOffset, rank) = slots.Locate(tree.SplitFeatures[node], tree.SplitConditions[node], tree.DefaultLeft[node]);
            testOf[node] = tests.Count - firstTest;
            tests.Add(new BitSplit(binOffset, rank, 0));
            stack.Add((node, false));
            bool fits = AddLeaves(tree, tree.LeftChildren[node], table, slots, stack, testOf, tests, firstTest, leaves, path, leafFeatures);
            stack[^1] = (node, true);
            fits = fits && AddLeaves(tree, tree.RightChildren[node], table, slots, stack, testOf, tests, firstTest, leaves, path, leafFeatures);
            stack.RemoveAt(stack.Count - 1);
            return fits;
        }

        int leaf = table.LeafOf(node);
        var features = table.FeaturesOf(leaf);
        int d = features.Length;
        if (d > MaxPatternFeatures)
        {
            return false;
        }

        int pathStart = path.Count;
        foreach (var (split, right) in stack)
        {
            path.Add(new ShapPathStep(testOf[split], features.IndexOf(tree.SplitFeatures[split]), right));
        }

        leaves.Add(new ShapLeafBlock(pathStart, stack.Count, leafFeatures.Count, d, table.TableStart(leaf)));
        leafFeatures.AddRange(features);
        return true;
    }
}

/// <summary>A leaf of a block layout: its path steps, its distinct path features and where its tables start.</summary>
internal readonly record struct ShapLeafBlock(int PathStart, int PathLength, int FeatureStart, int FeatureCount, int TableStart);

/// <summary>One split on a leaf's path: the tree's test, the bit of its feature in the leaf's pattern, and which way the path goes.</summary>
internal readonly record struct ShapPathStep(int Test, int Bit, bool Right);

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Skillscope.Trees.Model;

namespace Skillscope.Trees.Prediction;

/// <summary>
/// The trees of a predictor as bit vectors, for scoring <see cref="BlockRows"/> rows in one pass (the
/// QuickScorer family). A tree's leaves are numbered left to right; a split a row goes right at removes the
/// leaves of its left subtree from the row's candidates, and the leftmost candidate left after every split of
/// the tree is the leaf the row reaches. So every split is evaluated, in any order, with no branch on the row.
/// </summary>
/// <remarks>
/// <para>
/// Rows sit in SIMD lanes, one byte per row (RapidScorer's transposition): each feature value is first
/// replaced by its bin, the number of the feature's distinct thresholds at or below it, so the test
/// <c>x ≥ threshold</c> becomes <c>bin &gt; rank of the threshold</c>, one unsigned byte compare for 64 rows. A
/// tree's candidate sets are eight bytes per row, kept as eight 64-byte planes; a split touches only the
/// planes its left subtree's leaves fall in. Missing values take two bin views, 255 (above every rank: goes
/// right) and 0 (below: goes left), and each split reads the view its default direction needs.
/// </para>
/// <para>
/// Leaf values are pre-multiplied by the tree's weight (dart), the same float32 product the other kernels
/// use, and added to each row in tree order, so the sums are bit-identical to theirs.
/// </para>
/// </remarks>
internal sealed class BitVectorLayout
{
    /// <summary>Rows scored in one pass: one byte each in a 512-bit vector.</summary>
    public const int BlockRows = 64;

    /// <summary>A tree's candidate leaves must fit one 64-bit word per row.</summary>
    public const int MaxLeaves = 64;

    /// <summary>Ranks are bytes below 255, which is left for "missing, goes right".</summary>
    public const int MaxThresholdsPerFeature = 255;

    /// <summary>Thresholds compared at once when a value is binned.</summary>
    private const int BinRun = 16;

    private BitVectorLayout(
        int[] usedFeatures,
        SlotThresholds slots,
        float[] pivots,
        BitSplit[] splits,
        int[] planeStarts,
        int[] treePlanes,
        float[] leaves,
        int[] treeGroups)
    {
        UsedFeatures = usedFeatures;
        Slots = slots;
        ThresholdStarts = slots.Starts;
        Pivots = pivots;
        Thresholds = slots.Sorted;
        Splits = splits;
        PlaneStarts = planeStarts;
        TreePlanes = treePlanes;
        Leaves = leaves;
        TreeGroups = treeGroups;
    }

    /// <summary>The features some split tests, in feature order; slot i of the bin views is feature UsedFeatures[i].</summary>
    public int[] UsedFeatures { get; }

    /// <summary>Where each split's test reads in a block's bin views.</summary>
    public SlotThresholds Slots { get; }

    /// <summary>Where slot i's sorted distinct thresholds start in <see cref="Thresholds"/>.</summary>
    public int[] ThresholdStarts { get; }

    /// <summary>
    /// Slot i's thresholds are padded with NaN (never at or below a value) to whole runs of 16 with at least one
    /// NaN; Pivots[16i + b] is the last threshold of its run b (NaN past the last run).
    /// </summary>
    public float[] Pivots { get; }

    public float[] Thresholds { get; }

    /// <summary>Every split's work on each plane it touches, plane by plane, tree by tree.</summary>
    public BitSplit[] Splits { get; }

    /// <summary>Plane k (counted over all trees) takes Splits[PlaneStarts[k] .. PlaneStarts[k + 1]].</summary>
    public int[] PlaneStarts { get; }

    /// <summary>Tree t's planes are TreePlanes[t] .. TreePlanes[t + 1]: one per eight leaves.</summary>
    public int[] TreePlanes { get; }

    /// <summary>Tree t's leaf values, left to right, from <c>t · MaxLeaves</c>; padded with zeros to 64 so that whole vectors can be read.</summary>
    public float[] Leaves { get; }

    public int[] TreeGroups { get; }

    public int TreeCount => TreePlanes.Length - 1;

    /// <summary>The vector width the kernel runs with on this CPU.</summary>
    public static int SimdBits => Vector512.IsHardwareAccelerated ? 512 : Vector<byte>.Count * 8;

    /// <summary>Bytes of the two bin views for one block.</summary>
    public int BinBytes => 2 * UsedFeatures.Length * BlockRows;

    /// <summary>
    /// Builds the layout, or returns null with the reason when the trees do not fit it: a tree with more than
    /// <see cref="MaxLeaves"/> leaves, categorical splits, a NaN threshold, a feature with more distinct
    /// thresholds than a byte ranks, or a CPU without SIMD.
    /// </summary>
    public static BitVectorLayout? TryCreate(XgboostModel model, int treeEnd, out string? reason)
    {
        reason = FindObstacle(model, treeEnd);
        if (reason is not null)
        {
            return null;
        }

        // Distinct thresholds per feature, sorted: a threshold's rank is its bin boundary.
        var perFeature = new SortedSet<float>?[model.FeatureCount];
        for (int t = 0; t < treeEnd; t++)
        {
            var tree = model.Trees[t];
            ForEachSplit(tree, node => (perFeature[tree.SplitFeatures[node]] ??= []).Add(tree.SplitConditions[node]));
        }

        var slotOfFeature = new int[model.FeatureCount];
        var used = new List<int>();
        var starts = new List<int>();
        var pivots = new List<float>();
        var counts = new List<int>();
        var thresholds = new List<float>();
        for (int f = 0; f < perFeature.Length; f++)
        {
            slotOfFeature[f] = -1;
            if (perFeature[f] is not { } set)
            {
                continue;
            }

            if (set.Count > MaxThresholdsPerFeature)
            {
                reason = $"feature {f} has {set.Count} distinct thresholds; the bit-vector kernel ranks at most {MaxThresholdsPerFeature} per feature";
                return null;
            }

            slotOfFeature[f] = used.Count;
            used.Add(f);
            starts.Add(thresholds.Count);
            int runs = (set.Count / BinRun) + 1;
            counts.Add(set.Count);
            thresholds.AddRange(set);
            thresholds.AddRange(Enumerable.Repeat(float.NaN, (runs * BinRun) - set.Count));
            for (int run = 0; run < BinRun; run++)
            {
                pivots.Add(run < runs ? thresholds[starts[^1] + (run * BinRun) + BinRun - 1] : float.NaN);
            }
        }

        var splits = new List<BitSplit>();
        var planeStarts = new List<int>();
        var treePlanes = new int[treeEnd + 1];
        var leaves = new float[treeEnd * MaxLeaves];
        var treeLeaves = new List<float>();
        var treeSplits = new List<(int Plane, BitSplit Split)>();
        var thresholdsOf = new SlotThresholds(slotOfFeature, [.. starts], [.. counts], [.. thresholds], used.Count);
        for (int t = 0; t < treeEnd; t++)
        {
            treeLeaves.Clear();
            treeSplits.Clear();
            AddSubtree(model.Trees[t], 0, model.TreeWeights[t], treeLeaves, treeSplits, thresholdsOf);
            treeLeaves.CopyTo(leaves, t * MaxLeaves);
            treePlanes[t] = planeStarts.Count;

            // Grouped by plane, so that a plane's candidates stay in one register while its splits apply.
            int planeCount = (treeLeaves.Count + 7) / 8;
            for (int plane = 0; plane < planeCount; plane++)
            {
                planeStarts.Add(splits.Count);
                foreach (var (at, split) in treeSplits)
                {
                    if (at == plane)
                    {
                        splits.Add(split);
                    }
                }
            }
        }

        treePlanes[treeEnd] = planeStarts.Count;
        planeStarts.Add(splits.Count);
        return new BitVectorLayout(
            [.. used], thresholdsOf, [.. pivots], [.. splits], [.. planeStarts], treePlanes, leaves, model.TreeGroups[..treeEnd]);
    }

    /// <summary>The bin of <paramref name="value"/> for slot <paramref name="slot"/>: how many of its thresholds are at or below it.</summary>
    /// <remarks>
    /// Two 16-wide comparisons and no branch: the pivots give the run the value falls in, the run gives its place.
    /// A binary search's mispredicted branches, or even its chain of dependent loads, cost more than the trees' splits.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Bin(int slot, float value)
    {
        int run = CountAtOrBelow(ref Pivots[slot * BinRun], value);
        return (run * BinRun) + CountAtOrBelow(ref Thresholds[ThresholdStarts[slot] + (run * BinRun)], value);
    }

    /// <summary>How many of the 16 floats from <paramref name="sorted"/> are at or below <paramref name="value"/> (NaN never is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountAtOrBelow(ref float sorted, float value)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return BitOperations.PopCount(Vector512.LessThanOrEqual(Vector512.LoadUnsafe(ref sorted), Vector512.Create(value)).ExtractMostSignificantBits());
        }

        var count = Vector<int>.Zero;
        for (int i = 0; i < BinRun; i += Vector<float>.Count)
        {
            // A true lane is all ones, -1 as an integer.
            count -= Vector.AsVectorInt32(Vector.LessThanOrEqual(Vector.LoadUnsafe(ref sorted, (nuint)i), Vector.Create(value)));
        }

        return Vector.Sum(count);
    }

    private static string? FindObstacle(XgboostModel model, int treeEnd)
    {
        for (int t = 0; t < treeEnd; t++)
        {
            var tree = model.Trees[t];
            if (tree.HasCategoricalSplits)
            {
                return $"tree {t} has categorical splits, which the bit-vector kernel does not take";
            }

            int leafCount = CountLeaves(tree, 0);
            if (leafCount > MaxLeaves)
            {
                return $"tree {t} has {leafCount} leaves; the bit-vector kernel takes at most {MaxLeaves}";
            }

            string? nan = null;
            ForEachSplit(tree, node => nan ??= float.IsNaN(tree.SplitConditions[node]) ? $"tree {t} has a NaN threshold" : null);
            if (nan is not null)
            {
                return nan;
            }
        }

        return Vector512.IsHardwareAccelerated || (Vector.IsHardwareAccelerated && BlockRows % Vector<byte>.Count == 0)
            ? null
            : "this CPU has no SIMD instructions the bit-vector kernel can use";
    }

    private static int CountLeaves(RegressionTree tree, int node) =>
        tree.IsLeaf(node) ? 1 : CountLeaves(tree, tree.LeftChildren[node]) + CountLeaves(tree, tree.RightChildren[node]);

    private static void ForEachSplit(RegressionTree tree, Action<int> action)
    {
        var pending = new Stack<int>();
        pending.Push(0);
        while (pending.Count > 0)
        {
            int node = pending.Pop();
            if (tree.IsLeaf(node))
            {
                continue;
            }

            action(node);
            pending.Push(tree.LeftChildren[node]);
            pending.Push(tree.RightChildren[node]);
        }
    }

    /// <summary>Numbers the subtree's leaves left to right from <paramref name="leaves"/>' end and records its splits by plane; returns its leaf count.</summary>
    private static int AddSubtree(RegressionTree tree, int node, float weight, List<float> leaves, List<(int Plane, BitSplit Split)> splits, SlotThresholds thresholds)
    {
        if (tree.IsLeaf(node))
        {
            leaves.Add(tree.SplitConditions[node] * weight);
            return 1;
        }

        int first = leaves.Count;
        int leftCount = AddSubtree(tree, tree.LeftChildren[node], weight, leaves, splits, thresholds);
        int rightCount = AddSubtree(tree, tree.RightChildren[node], weight, leaves, splits, thresholds);
        var (binOffset, rank) = thresholds.Locate(tree.SplitFeatures[node], tree.SplitConditions[node], tree.DefaultLeft[node]);
        ulong leftLeaves = (leftCount == 64 ? ulong.MaxValue : ((1UL << leftCount) - 1)) << first;
        for (int plane = first / 8; plane <= (first + leftCount - 1) / 8; plane++)
        {
            splits.Add((plane, new BitSplit(binOffset, rank, (byte)(leftLeaves >> (8 * plane)))));
        }

        return leftCount + rightCount;
    }

}

/// <summary>Each used feature's slot and sorted distinct thresholds: where a split's test reads in a block's bin views, and its rank.</summary>
internal sealed record SlotThresholds(int[] SlotOfFeature, int[] Starts, int[] Counts, float[] Sorted, int SlotCount)
{
    public (int BinOffset, byte Rank) Locate(int feature, float threshold, bool defaultLeft)
    {
        int slot = SlotOfFeature[feature];
        int rank = Array.BinarySearch(Sorted, Starts[slot], Counts[slot], threshold) - Starts[slot];

        // View 0 holds missing as 0 (goes left), view 1 as 255 (goes right).
        int view = defaultLeft ? 0 : 1;
        return (((view * SlotCount) + slot) * BitVectorLayout.BlockRows, (byte)rank);
    }
}

/// <summary>
/// A split's work on one candidate plane: where its feature's bin view sits in a block, the threshold's rank,
/// and which of the plane's leaves (its left subtree's) a row going right loses. A split whose left leaves span
/// several planes is one entry per plane.
/// </summary>
/// <remarks>The rank and the leaves are repeated in each byte of a word: a vector is then one broadcast load of it.</remarks>
internal readonly record struct BitSplit(int BinOffset, uint Ranks, uint Cleared)
{
    public BitSplit(int binOffset, byte rank, byte cleared)
        : this(binOffset, rank * 0x01010101u, cleared * 0x01010101u)
    {
    }
}

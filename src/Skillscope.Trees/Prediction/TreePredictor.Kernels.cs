using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Skillscope.Trees.Prediction;

public sealed partial class TreePredictor
{
    private const int FeatureMask = 0x7FFFFFFF;

    /// <summary>Rows that walk a tree together in one AVX2 vector.</summary>
    private const int VectorRows = 8;

    /// <summary>The vector kernel keeps one accumulator per group on the stack; beyond this, rows go one by one.</summary>
    private const int MaxVectorGroups = 256;

    private void MarginOfRow(ReadOnlySpan<float> row, Span<float> margins)
    {
        _baseMargins.CopyTo(margins);
        if (_layout is null)
        {
            LinearMarginOfRow(row, margins);
            return;
        }

        var slots = _layout.Slots;
        ref int packed = ref MemoryMarshal.GetArrayDataReference(_layout.PackedFeatures);
        ref float thresholds = ref MemoryMarshal.GetArrayDataReference(_layout.Thresholds);
        ref float leaves = ref MemoryMarshal.GetArrayDataReference(_layout.Leaves);
        ref float features = ref MemoryMarshal.GetReference(row);
        for (int t = 0; t < slots.Length; t++)
        {
            var slot = slots[t];
            float value = slot.NodeBase >= 0
                ? WalkComplete(ref Unsafe.Add(ref packed, slot.NodeBase), ref Unsafe.Add(ref thresholds, slot.NodeBase), slot.Depth, ref features)
                    is var leaf ? Unsafe.Add(ref leaves, slot.LeafOffset + leaf) : 0
                : ExactLeafValue(t, row);
            margins[slot.Group] += value;
        }
    }

    /// <summary>One row down a complete tree: a fixed number of branch-free steps; returns the final heap index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WalkComplete(ref int packed, ref float thresholds, int depth, ref float row)
    {
        nint index = 0;
        for (int level = 0; level < depth; level++)
        {
            int node = Unsafe.Add(ref packed, index);
            float x = Unsafe.Add(ref row, node & FeatureMask);
            // Right when x >= threshold; a missing x (NaN fails every comparison) goes right only if the node says so.
            bool right = (x >= Unsafe.Add(ref thresholds, index)) | (float.IsNaN(x) & (node < 0));
            index = (2 * index) + 1 + Unsafe.BitCast<bool, byte>(right);
        }

        return (int)index;
    }

    private float ExactLeafValue(int tree, ReadOnlySpan<float> row)
    {
        var model = _model;
        int leaf = ExactTreeWalker.FindLeaf(model.Trees[tree], row, model.InvalidCategoryGoesDefault);
        return model.Trees[tree].SplitConditions[leaf] * model.TreeWeights[tree];
    }

    private void LinearMarginOfRow(ReadOnlySpan<float> row, Span<float> margins)
    {
        // As XGBoost's gblinear: base + bias, then each present feature's x·w in feature order (missing = absent).
        var linear = _model.Linear!;
        for (int g = 0; g < margins.Length; g++)
        {
            float sum = linear.Bias(g) + margins[g];
            for (int f = 0; f < row.Length; f++)
            {
                float x = row[f];
                if (!float.IsNaN(x))
                {
                    sum += x * linear.Weight(f, g);
                }
            }

            margins[g] = sum;
        }
    }

    private unsafe void MarginsOfRows(ReadOnlySpan<float> rows, Span<float> margins, int rowCount, int maxThreads)
    {
        int threads = maxThreads <= 0 ? Environment.ProcessorCount : Math.Min(maxThreads, Environment.ProcessorCount);
        if (threads <= 1 || rowCount < ParallelThresholdRows)
        {
            MarginsOfRowRange(rows, margins, 0, rowCount);
            return;
        }

        // Spans cannot cross into the parallel body; the caller's memory stays pinned for the whole call.
        fixed (float* rowsPointer = rows)
        fixed (float* marginsPointer = margins)
        {
            nint rowsAddress = (nint)rowsPointer;
            nint marginsAddress = (nint)marginsPointer;
            int rowsLength = rows.Length;
            int marginsLength = margins.Length;
            int tasks = (rowCount + RowsPerTask - 1) / RowsPerTask;
            Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = threads }, task =>
            {
                var allRows = new ReadOnlySpan<float>((float*)rowsAddress, rowsLength);
                var allMargins = new Span<float>((float*)marginsAddress, marginsLength);
                int start = task * RowsPerTask;
                MarginsOfRowRange(allRows, allMargins, start, Math.Min(start + RowsPerTask, rowCount));
            });
        }
    }

    private void MarginsOfRowRange(ReadOnlySpan<float> rows, Span<float> margins, int start, int end)
    {
        int features = FeatureCount;
        int groups = GroupCount;
        int row = start;
        if (_layout is not null && Avx2.IsSupported && groups <= MaxVectorGroups)
        {
            for (; row + VectorRows <= end; row += VectorRows)
            {
                MarginsOfVectorBlock(rows.Slice(row * features, VectorRows * features), margins.Slice(row * groups, VectorRows * groups));
            }
        }

        for (; row < end; row++)
        {
            MarginOfRow(rows.Slice(row * features, features), margins.Slice(row * groups, groups));
        }
    }

    /// <summary>
    /// Eight rows through every tree with AVX2 gathers: per level, gather the eight nodes' packed features
    /// and thresholds, gather each row's feature value, compare, and step. Sums stay per row in tree order.
    /// </summary>
    private unsafe void MarginsOfVectorBlock(ReadOnlySpan<float> block, Span<float> margins)
    {
        var layout = _layout!;
        int groups = GroupCount;
        int stride = FeatureCount;
        Span<Vector256<float>> sums = stackalloc Vector256<float>[groups];
        for (int g = 0; g < groups; g++)
        {
            sums[g] = Vector256.Create(_baseMargins[g]);
        }

        var rowOffsets = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * stride;
        var featureMask = Vector256.Create(FeatureMask);
        var one = Vector256<int>.One;
        var slots = layout.Slots;
        Span<float> exact = stackalloc float[VectorRows];
        fixed (int* packedBase = layout.PackedFeatures)
        fixed (float* thresholdBase = layout.Thresholds)
        fixed (float* leafBase = layout.Leaves)
        fixed (float* rowsBase = block)
        {
            for (int t = 0; t < slots.Length; t++)
            {
                var slot = slots[t];
                Vector256<float> leafValues;
                if (slot.NodeBase >= 0)
                {
                    int* packed = packedBase + slot.NodeBase;
                    float* thresholds = thresholdBase + slot.NodeBase;
                    var index = Vector256<int>.Zero;
                    for (int level = 0; level < slot.Depth; level++)
                    {
                        var node = Avx2.GatherVector256(packed, index, 4);
                        var x = Avx2.GatherVector256(rowsBase, rowOffsets + (node & featureMask), 4);
                        var threshold = Avx2.GatherVector256(thresholds, index, 4);
                        var atLeast = Avx.Compare(x, threshold, FloatComparison.OrderedGreaterThanOrEqualNonSignaling);
                        var missing = Avx.Compare(x, x, FloatComparison.UnorderedNonSignaling);
                        var missingRight = Vector256.ShiftRightArithmetic(node, 31).AsSingle();
                        var right = (atLeast | (missing & missingRight)).AsInt32();
                        // right is -1 where the row goes right: 2i + 1 - (-1) = 2i + 2.
                        index = index + index + one - right;
                    }

                    leafValues = Avx2.GatherVector256(leafBase + slot.LeafOffset, index, 4);
                }
                else
                {
                    for (int r = 0; r < VectorRows; r++)
                    {
                        exact[r] = ExactLeafValue(t, block.Slice(r * stride, stride));
                    }

                    leafValues = Vector256.Create<float>(exact);
                }

                sums[slot.Group] += leafValues;
            }
        }

        if (groups == 1)
        {
            sums[0].CopyTo(margins);
            return;
        }

        for (int g = 0; g < groups; g++)
        {
            for (int r = 0; r < VectorRows; r++)
            {
                margins[(r * groups) + g] = sums[g][r];
            }
        }
    }
}

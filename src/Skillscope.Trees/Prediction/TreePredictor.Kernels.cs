using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Skillscope.Trees.Prediction;

public sealed partial class TreePredictor
{
    private const int Lanes = CompleteTreeLayout.Lanes;

    /// <summary>Expanded rows up to this many floats live on the stack; wider models rent a buffer.</summary>
    private const int MaxStackFloats = 2048;

    /// <summary>Rows that share one pass over the trees (XGBoost uses 64 too): the nodes stay in L1 meanwhile.</summary>
    private const int BlockRows = 64;

    private const int MaxStackBlockFloats = 8192;

    /// <summary>Lane k of a chunk writes slot k: how per-tree outputs use the walks that otherwise add to group margins.</summary>
    private static readonly int[] LaneColumns = [0, 1, 2, 3, 4, 5, 6, 7];

    private void MarginOfRow(ReadOnlySpan<float> row, Span<float> margins)
    {
        _baseMargins.CopyTo(margins);
        if (_layout is null)
        {
            LinearMarginOfRow(row, margins);
            return;
        }

        WalkOneRow(row, margins, perTree: false);
    }

    /// <summary>What each tree adds to one row (leaf value times dart weight), in tree order.</summary>
    private void TreeOutputsOfRow(ReadOnlySpan<float> row, Span<float> outputs)
    {
        outputs.Clear();
        WalkOneRow(row, outputs, perTree: true);
    }

    /// <summary>
    /// One row through every tree, the chunks' fast walk and the exact walker for the trees outside them:
    /// each leaf is added to its output group's margin, or with <paramref name="perTree"/> to its own tree's slot.
    /// </summary>
    private void WalkOneRow(ReadOnlySpan<float> row, Span<float> target, bool perTree)
    {
        // The row takes lane 0 of a block-shaped buffer, so single rows and blocks share one node layout.
        int width = CompleteTreeLayout.ExpandedLength(row.Length);
        float[]? rented = null;
        Span<float> expanded = width <= MaxStackFloats ? stackalloc float[width] : (rented = ArrayPool<float>.Shared.Rent(width)).AsSpan(0, width);
        CompleteTreeLayout.Expand(row, expanded, 0);
        var layout = _layout!;
        foreach (var step in layout.Steps)
        {
            if (step.IsExact)
            {
                target[perTree ? step.FirstTree : layout.TreeGroups[step.FirstTree]] += ExactLeafValue(step.FirstTree, row);
            }
            else if (perTree)
            {
                WalkChunkForOneRow(layout, step, expanded, ref target[step.FirstTree], ref MemoryMarshal.GetArrayDataReference(LaneColumns));
            }
            else
            {
                WalkChunkForOneRow(layout, step, expanded, ref MemoryMarshal.GetReference(target), ref layout.TreeGroups[step.FirstTree]);
            }
        }

        if (rented is not null)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// One row down the eight trees of a chunk in lock-step: eight independent chains of loads. Lane k's leaf
    /// is added to <paramref name="target"/>[<paramref name="columns"/>[k]]: its output group's margin, or its own tree's slot.
    /// </summary>
    private static void WalkChunkForOneRow(CompleteTreeLayout layout, LayoutStep step, ReadOnlySpan<float> expanded, ref float target, ref int columns)
    {
        ref PackedNode nodes = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(layout.Nodes), step.NodeBase);
        ref float x = ref MemoryMarshal.GetReference(expanded);
        nint i0 = 0, i1 = 0, i2 = 0, i3 = 0, i4 = 0, i5 = 0, i6 = 0, i7 = 0;
        for (int level = 0; level < step.Depth; level++)
        {
            i0 = StepOneRow(i0, 0, ref nodes, ref x);
            i1 = StepOneRow(i1, 1, ref nodes, ref x);
            i2 = StepOneRow(i2, 2, ref nodes, ref x);
            i3 = StepOneRow(i3, 3, ref nodes, ref x);
            i4 = StepOneRow(i4, 4, ref nodes, ref x);
            i5 = StepOneRow(i5, 5, ref nodes, ref x);
            i6 = StepOneRow(i6, 6, ref nodes, ref x);
            i7 = StepOneRow(i7, 7, ref nodes, ref x);
        }

        // Leaf j of lane k sits at j·Lanes + k; heap index i is leaf i − (2^depth − 1). Added in tree order.
        ref float leaves = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(layout.Leaves), step.LeafBase - (((1 << step.Depth) - 1) * Lanes));
        int count = step.LaneCount;
        Unsafe.Add(ref target, columns) += Unsafe.Add(ref leaves, i0 * Lanes);
        if (count > 1) { Unsafe.Add(ref target, Unsafe.Add(ref columns, 1)) += Unsafe.Add(ref leaves, (i1 * Lanes) + 1); }
        if (count > 2) { Unsafe.Add(ref target, Unsafe.Add(ref columns, 2)) += Unsafe.Add(ref leaves, (i2 * Lanes) + 2); }
        if (count > 3) { Unsafe.Add(ref target, Unsafe.Add(ref columns, 3)) += Unsafe.Add(ref leaves, (i3 * Lanes) + 3); }
        if (count > 4) { Unsafe.Add(ref target, Unsafe.Add(ref columns, 4)) += Unsafe.Add(ref leaves, (i4 * Lanes) + 4); }
        if (count > 5) { Unsafe.Add(ref target, Unsafe.Add(ref columns, 5)) += Unsafe.Add(ref leaves, (i5 * Lanes) + 5); }
        if (count > 6) { Unsafe.Add(ref target, Unsafe.Add(ref columns, 6)) += Unsafe.Add(ref leaves, (i6 * Lanes) + 6); }
        if (count > 7) { Unsafe.Add(ref target, Unsafe.Add(ref columns, 7)) += Unsafe.Add(ref leaves, (i7 * Lanes) + 7); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint StepOneRow(nint index, nint lane, ref PackedNode nodes, ref float x)
    {
        ref PackedNode node = ref Unsafe.Add(ref nodes, (index * Lanes) + lane);
        bool right = Unsafe.Add(ref x, node.ValueOffset) >= node.Threshold;
        return (2 * index) + 1 + Unsafe.BitCast<bool, byte>(right);
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
            WalkRowRange(rows, margins, 0, rowCount, perTree: false);
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
            // A few equal tasks per thread: balanced when cores run alike, and some slack when one is busy.
            int tasks = Math.Min(threads * TasksPerThread, (rowCount + MinRowsPerTask - 1) / MinRowsPerTask);
            // Whole passes per task: a bit-vector pass costs the same for a part of 64 rows as for all of them.
            int align = _bitVector is null ? Lanes : BlockRowsBitVector;
            int rowsPerTask = (((rowCount + tasks - 1) / tasks) + align - 1) / align * align;
            Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = threads }, task =>
            {
                var allRows = new ReadOnlySpan<float>((float*)rowsAddress, rowsLength);
                var allMargins = new Span<float>((float*)marginsAddress, marginsLength);
                int start = task * rowsPerTask;
                WalkRowRange(allRows, allMargins, Math.Min(start, rowCount), Math.Min(start + rowsPerTask, rowCount), perTree: false);
            });
        }
    }

    /// <summary>
    /// Rows <paramref name="start"/> to <paramref name="end"/> through every tree, eight-row blocks first. Writes
    /// each row's margins, or with <paramref name="perTree"/> what each tree adds to it (<see cref="TreeCount"/> per row).
    /// </summary>
    private void WalkRowRange(ReadOnlySpan<float> rows, Span<float> target, int start, int end, bool perTree)
    {
        int features = FeatureCount;
        int width = perTree ? _treeEnd : GroupCount;
        int row = start;
        if (_bitVector is { } bitVector && end - row >= MinBitVectorRows)
        {
            row = ScoreBitVectorRange(bitVector, rows, target, row, end, perTree);
        }

        if (_layout is not null)
        {
            int blockFloats = 2 * features * BlockRows;
            float[]? rented = null;
            Span<float> block = blockFloats <= MaxStackBlockFloats ? stackalloc float[blockFloats] : (rented = ArrayPool<float>.Shared.Rent(blockFloats)).AsSpan(0, blockFloats);
            for (; row + Lanes <= end; row += BlockRows)
            {
                int count = Math.Min(BlockRows, (end - row) / Lanes * Lanes);
                WalkBlock(rows.Slice(row * features, count * features), target.Slice(row * width, count * width), block, perTree);
                if (count < BlockRows)
                {
                    row += count;
                    break;
                }
            }

            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }

        for (; row < end; row++)
        {
            if (perTree)
            {
                TreeOutputsOfRow(rows.Slice(row * features, features), target.Slice(row * width, width));
            }
            else
            {
                MarginOfRow(rows.Slice(row * features, features), target.Slice(row * width, width));
            }
        }
    }

    /// <summary>
    /// Up to 64 rows (a multiple of 8) through every tree. Rows are expanded and transposed in groups of
    /// eight (value e of row r of group s at (s·2F + e)·8 + r) so that one base address serves eight rows;
    /// per tree the groups walk one after another while the tree's nodes stay in L1, eight rows in
    /// lock-step. Each row's margin still adds its trees one by one in tree order. With
    /// <paramref name="perTree"/> each leaf goes to its own tree's slot of the row instead of to a margin.
    /// </summary>
    private void WalkBlock(ReadOnlySpan<float> rows, Span<float> target, Span<float> block, bool perTree)
    {
        var layout = _layout!;
        int features = FeatureCount;
        int width = perTree ? _treeEnd : GroupCount;
        int rowCount = rows.Length / features;
        int expandedWidth = 2 * features;
        int subBlocks = rowCount / Lanes;
        for (int r = 0; r < rowCount; r++)
        {
            CompleteTreeLayout.Expand(rows.Slice(r * features, features), block.Slice((r / Lanes) * expandedWidth * Lanes), r % Lanes);
            var rowTarget = target.Slice(r * width, width);
            if (perTree)
            {
                rowTarget.Clear();
            }
            else
            {
                _baseMargins.CopyTo(rowTarget);
            }
        }

        foreach (var step in layout.Steps)
        {
            if (step.IsExact)
            {
                int column = perTree ? step.FirstTree : layout.TreeGroups[step.FirstTree];
                for (int r = 0; r < rowCount; r++)
                {
                    target[(r * width) + column] += ExactLeafValue(step.FirstTree, rows.Slice(r * features, features));
                }

                continue;
            }

            for (int lane = 0; lane < step.LaneCount; lane++)
            {
                int column = perTree ? step.FirstTree + lane : layout.TreeGroups[step.FirstTree + lane];
                for (int s = 0; s < subBlocks; s++)
                {
                    WalkTreeForBlock(layout, step, lane, block.Slice(s * expandedWidth * Lanes, expandedWidth * Lanes), ref target[(s * Lanes * width) + column], width);
                }
            }
        }
    }

    /// <summary>One tree of a chunk for eight transposed rows, in lock-step; row k's leaf is added <paramref name="stride"/>·k after <paramref name="target"/>.</summary>
    private static void WalkTreeForBlock(CompleteTreeLayout layout, LayoutStep step, int lane, ReadOnlySpan<float> block, ref float target, nint stride)
    {
        ref PackedNode nodes = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(layout.Nodes), step.NodeBase + lane);
        ref float x = ref MemoryMarshal.GetReference(block);
        nint i0 = 0, i1 = 0, i2 = 0, i3 = 0, i4 = 0, i5 = 0, i6 = 0, i7 = 0;
        for (int level = 0; level < step.Depth; level++)
        {
            i0 = StepBlockRow(i0, 0, ref nodes, ref x);
            i1 = StepBlockRow(i1, 1, ref nodes, ref x);
            i2 = StepBlockRow(i2, 2, ref nodes, ref x);
            i3 = StepBlockRow(i3, 3, ref nodes, ref x);
            i4 = StepBlockRow(i4, 4, ref nodes, ref x);
            i5 = StepBlockRow(i5, 5, ref nodes, ref x);
            i6 = StepBlockRow(i6, 6, ref nodes, ref x);
            i7 = StepBlockRow(i7, 7, ref nodes, ref x);
        }

        ref float leaves = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(layout.Leaves), step.LeafBase + lane - (((1 << step.Depth) - 1) * Lanes));
        Unsafe.Add(ref target, 0) += Unsafe.Add(ref leaves, i0 * Lanes);
        Unsafe.Add(ref target, stride) += Unsafe.Add(ref leaves, i1 * Lanes);
        Unsafe.Add(ref target, 2 * stride) += Unsafe.Add(ref leaves, i2 * Lanes);
        Unsafe.Add(ref target, 3 * stride) += Unsafe.Add(ref leaves, i3 * Lanes);
        Unsafe.Add(ref target, 4 * stride) += Unsafe.Add(ref leaves, i4 * Lanes);
        Unsafe.Add(ref target, 5 * stride) += Unsafe.Add(ref leaves, i5 * Lanes);
        Unsafe.Add(ref target, 6 * stride) += Unsafe.Add(ref leaves, i6 * Lanes);
        Unsafe.Add(ref target, 7 * stride) += Unsafe.Add(ref leaves, i7 * Lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint StepBlockRow(nint index, nint row, ref PackedNode nodes, ref float x)
    {
        ref PackedNode node = ref Unsafe.Add(ref nodes, index * Lanes);
        bool right = Unsafe.Add(ref x, node.ValueOffset + (nuint)row) >= node.Threshold;
        return (2 * index) + 1 + Unsafe.BitCast<bool, byte>(right);
    }
}

using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Skillscope.Trees.Prediction;

public sealed partial class TreePredictor
{
    private const int BlockRowsBitVector = BitVectorLayout.BlockRows;

    /// <summary>Below this many rows the complete-tree walk is faster than a bit-vector pass, which costs the same for 1 row as for 64.</summary>
    private const int MinBitVectorRows = 16;

    private const int MaxStackBitVectorBytes = 16384;

    /// <summary>Scores rows from <paramref name="start"/> in passes of 64 while at least <see cref="MinBitVectorRows"/> remain; returns the first row left.</summary>
    private int ScoreBitVectorRange(BitVectorLayout layout, ReadOnlySpan<float> rows, Span<float> target, int start, int end, bool perTree)
    {
        int features = FeatureCount;
        int width = perTree ? _treeEnd : GroupCount;
        int marginBytes = GroupCount * BlockRowsBitVector * sizeof(float);
        int bytes = layout.BinBytes + marginBytes + BlockRowsBitVector;
        byte[]? rented = null;
        Span<byte> buffer = bytes <= MaxStackBitVectorBytes ? stackalloc byte[bytes] : (rented = ArrayPool<byte>.Shared.Rent(bytes)).AsSpan(0, bytes);
        var margins = MemoryMarshal.Cast<byte, float>(buffer[..marginBytes]);
        var exits = buffer.Slice(marginBytes, BlockRowsBitVector);
        var bins = buffer.Slice(marginBytes + BlockRowsBitVector, layout.BinBytes);
        int row = start;
        try
        {
            while (end - row >= MinBitVectorRows)
            {
                int count = Math.Min(BlockRowsBitVector, end - row);
                var block = target.Slice(row * width, count * width);
                FillBins(layout, rows.Slice(row * features, count * features), count, features, bins);
                if (perTree)
                {
                    ScoreBlockPerTree(layout, count, block, bins, exits);
                }
                else
                {
                    ScoreBlockMargins(layout, count, block, bins, exits, margins);
                }

                row += count;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return row;
    }

    /// <summary>
    /// Each row's margins: the base margin, then each tree's leaf in tree order, kept per output group as 64
    /// lanes (<paramref name="margins"/>[g·64 + r]) so that a tree's leaves are added to the block at once.
    /// </summary>
    private void ScoreBlockMargins(BitVectorLayout layout, int rowCount, Span<float> target, ReadOnlySpan<byte> bins, Span<byte> exits, Span<float> margins)
    {
        int groups = GroupCount;
        for (int g = 0; g < groups; g++)
        {
            margins.Slice(g * BlockRowsBitVector, BlockRowsBitVector).Fill(_baseMargins[g]);
        }

        for (int t = 0; t < layout.TreeCount; t++)
        {
            FindExits(layout, t, bins, exits);
            AddLeaves(layout, t, exits, margins.Slice(layout.TreeGroups[t] * BlockRowsBitVector, BlockRowsBitVector));
        }

        for (int r = 0; r < rowCount; r++)
        {
            for (int g = 0; g < groups; g++)
            {
                target[(r * groups) + g] = margins[(g * BlockRowsBitVector) + r];
            }
        }
    }

    /// <summary>What each tree adds to each row: its leaf value in the row's slot for that tree.</summary>
    private void ScoreBlockPerTree(BitVectorLayout layout, int rowCount, Span<float> target, ReadOnlySpan<byte> bins, Span<byte> exits)
    {
        int width = _treeEnd;
        for (int t = 0; t < layout.TreeCount; t++)
        {
            FindExits(layout, t, bins, exits);
            var leaves = layout.Leaves.AsSpan(t * BitVectorLayout.MaxLeaves, BitVectorLayout.MaxLeaves);
            for (int r = 0; r < rowCount; r++)
            {
                // 0 + leaf, as the walk adds each leaf to a cleared slot: a −0 leaf comes out +0 on both.
                target[(r * width) + t] = 0f + leaves[exits[r]];
            }
        }
    }

    /// <summary>
    /// Writes both bin views of each used feature, lane r for row r. A missing value's bin is 0 (NaN is at or
    /// above no threshold), which is view 0's "goes left"; view 1 sets it to 255, "goes right".
    /// </summary>
    private static void FillBins(BitVectorLayout layout, ReadOnlySpan<float> rows, int rowCount, int featureCount, Span<byte> bins)
    {
        var used = layout.UsedFeatures;
        int viewBytes = used.Length * BlockRowsBitVector;
        for (int slot = 0; slot < used.Length; slot++)
        {
            int feature = used[slot];
            var left = bins.Slice(slot * BlockRowsBitVector, BlockRowsBitVector);
            var right = bins.Slice(viewBytes + (slot * BlockRowsBitVector), BlockRowsBitVector);
            for (int r = 0; r < rowCount; r++)
            {
                float x = rows[(r * featureCount) + feature];
                int bin = layout.Bin(slot, x);
                int missing = Unsafe.BitCast<bool, byte>(float.IsNaN(x));
                left[r] = (byte)bin;
                right[r] = (byte)(bin | -missing);
            }
        }
    }

    /// <summary>
    /// Each lane's exit leaf in tree <paramref name="tree"/>. Plane by plane, a register starts with every leaf
    /// as a candidate and loses the left leaves of each split the lane goes right at; the exit leaf is the lowest
    /// candidate bit of the first plane that keeps one.
    /// </summary>
    private static void FindExits(BitVectorLayout layout, int tree, ReadOnlySpan<byte> bins, Span<byte> exits)
    {
        ref byte binStart = ref MemoryMarshal.GetReference(bins);
        ref BitSplit splits = ref MemoryMarshal.GetArrayDataReference(layout.Splits);
        var planeStarts = layout.PlaneStarts;
        int firstPlane = layout.TreePlanes[tree];
        int planeEnd = layout.TreePlanes[tree + 1];
        if (Vector512.IsHardwareAccelerated)
        {
            var exit = Vector512<byte>.Zero;
            var found = Vector512<byte>.Zero;
            for (int k = firstPlane; k < planeEnd; k++)
            {
                var candidates = Vector512<byte>.AllBitsSet;
                for (int s = planeStarts[k]; s < planeStarts[k + 1]; s++)
                {
                    ref readonly BitSplit split = ref Unsafe.Add(ref splits, s);
                    var right = Vector512.GreaterThan(Vector512.LoadUnsafe(ref binStart, (nuint)split.BinOffset), Vector512.Create(split.Ranks).AsByte());
                    candidates = Vector512.AndNot(candidates, right & Vector512.Create(split.Cleared).AsByte());
                }

                var lowest = candidates & (Vector512<byte>.Zero - candidates);
                var index = Vector512.AndNot(Vector512.Create((byte)1), Vector512.Equals(lowest & Vector512.Create((byte)0xAA), Vector512<byte>.Zero))
                    | Vector512.AndNot(Vector512.Create((byte)2), Vector512.Equals(lowest & Vector512.Create((byte)0xCC), Vector512<byte>.Zero))
                    | Vector512.AndNot(Vector512.Create((byte)4), Vector512.Equals(lowest & Vector512.Create((byte)0xF0), Vector512<byte>.Zero));
                exit = Vector512.ConditionalSelect(found, exit, index + Vector512.Create((byte)(8 * (k - firstPlane))));
                found |= ~Vector512.Equals(candidates, Vector512<byte>.Zero);
            }

            exit.StoreUnsafe(ref MemoryMarshal.GetReference(exits));
            return;
        }

        // The same, Vector<byte>.Count lanes at a time (32 with AVX2, 16 with SSE or NEON).
        for (int part = 0; part < BlockRowsBitVector; part += Vector<byte>.Count)
        {
            var exit = Vector<byte>.Zero;
            var found = Vector<byte>.Zero;
            for (int k = firstPlane; k < planeEnd; k++)
            {
                var candidates = Vector<byte>.AllBitsSet;
                for (int s = planeStarts[k]; s < planeStarts[k + 1]; s++)
                {
                    ref readonly BitSplit split = ref Unsafe.Add(ref splits, s);
                    var right = Vector.GreaterThan(Vector.LoadUnsafe(ref binStart, (nuint)(split.BinOffset + part)), Vector.AsVectorByte(Vector.Create(split.Ranks)));
                    candidates = Vector.AndNot(candidates, right & Vector.AsVectorByte(Vector.Create(split.Cleared)));
                }

                var lowest = candidates & (Vector<byte>.Zero - candidates);
                var index = Vector.AndNot(Vector.Create((byte)1), Vector.Equals(lowest & Vector.Create((byte)0xAA), Vector<byte>.Zero))
                    | Vector.AndNot(Vector.Create((byte)2), Vector.Equals(lowest & Vector.Create((byte)0xCC), Vector<byte>.Zero))
                    | Vector.AndNot(Vector.Create((byte)4), Vector.Equals(lowest & Vector.Create((byte)0xF0), Vector<byte>.Zero));
                exit = Vector.ConditionalSelect(found, exit, index + Vector.Create((byte)(8 * (k - firstPlane))));
                found |= ~Vector.Equals(candidates, Vector<byte>.Zero);
            }

            exit.StoreUnsafe(ref MemoryMarshal.GetReference(exits), (nuint)part);
        }
    }

    /// <summary>Adds tree <paramref name="tree"/>'s exit leaves to 64 lanes of margins, each lane's add a float32 add as in the other kernels.</summary>
    private static void AddLeaves(BitVectorLayout layout, int tree, ReadOnlySpan<byte> exits, Span<float> margins)
    {
        ref float leaves = ref layout.Leaves[tree * BitVectorLayout.MaxLeaves];
        ref float margin = ref MemoryMarshal.GetReference(margins);
        if (Avx512F.IsSupported)
        {
            // A leaf table of 64 floats is four registers; two-source permutes look 16 lanes up in it at once.
            var low = (Vector512.LoadUnsafe(ref leaves), Vector512.LoadUnsafe(ref leaves, 16));
            var high = (Vector512.LoadUnsafe(ref leaves, 32), Vector512.LoadUnsafe(ref leaves, 48));
            ref byte exit = ref MemoryMarshal.GetReference(exits);
            for (nuint lane = 0; lane < BlockRowsBitVector; lane += 16)
            {
                var value = LookUp(ref exit, lane, low.Item1, low.Item2, high.Item1, high.Item2, over32: true);
                (Vector512.LoadUnsafe(ref margin, lane) + value).StoreUnsafe(ref margin, lane);
            }

            return;
        }

        for (int lane = 0; lane < BlockRowsBitVector; lane++)
        {
            Unsafe.Add(ref margin, lane) += Unsafe.Add(ref leaves, exits[lane]);
        }
    }

    /// <summary>
    /// Lanes <paramref name="lane"/> to +15 of a table of up to 64 floats held in four registers (t0 to t3), each
    /// lane's entry chosen by its byte in <paramref name="indices"/>: two-table permutes, the second only for a
    /// table of more than 32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LookUp(
        ref byte indices, nuint lane, Vector512<float> t0, Vector512<float> t1, Vector512<float> t2, Vector512<float> t3, bool over32)
    {
        var index = Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref indices, lane));
        var value = Avx512F.PermuteVar16x32x2(t0, index, t1);
        return over32
            ? Vector512.ConditionalSelect(Vector512.GreaterThan(index, Vector512.Create(31)).AsSingle(), Avx512F.PermuteVar16x32x2(t2, index, t3), value)
            : value;
    }
}

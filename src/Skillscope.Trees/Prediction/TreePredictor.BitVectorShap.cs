using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Skillscope.Trees.Prediction;

public sealed partial class TreePredictor
{
    /// <summary>
    /// Writes each row's contributions as <see cref="PredictRowContributions"/> does, for a whole batch. With
    /// the bit-vector layout on an AVX-512 CPU, 64 rows are explained at once (see
    /// <see cref="BitVectorShapLayout"/>); otherwise, and for the last few rows, row by row.
    /// </summary>
    /// <param name="rows">The feature matrix (rows × <see cref="FeatureCount"/>).</param>
    /// <param name="contributions">Receives rows × <see cref="ContributionWidth"/> values.</param>
    /// <exception cref="TreeModelException">The matrix has the wrong width.</exception>
    public void PredictRowsContributions(ReadOnlySpan<float> rows, Span<float> contributions)
    {
        int rowCount = CheckMatrix(rows.Length);
        int width = ContributionWidth;
        int features = FeatureCount;
        CheckOutput(contributions.Length, rowCount * width);
        int row = 0;
        if (rowCount >= MinBitVectorRows && _bitVector is { } bits && _shapBlocks.Value is { } shap)
        {
            int phiFloats = GroupCount * (features + 1) * BlockRowsBitVector;
            int scratch = bits.BinBytes + ((shap.MaxTreeTests + BitVectorShapLayout.MaxPatternFeatures + 1) * BlockRowsBitVector);
            float[] phi = ArrayPool<float>.Shared.Rent(phiFloats);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(scratch);
            try
            {
                for (; rowCount - row >= MinBitVectorRows; row += BlockRowsBitVector)
                {
                    int count = Math.Min(BlockRowsBitVector, rowCount - row);
                    ExplainBlock(bits, shap, rows.Slice(row * features, count * features), count, contributions.Slice(row * width, count * width), buffer.AsSpan(0, scratch), phi.AsSpan(0, phiFloats));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                ArrayPool<float>.Shared.Return(phi);
            }

            row = Math.Min(row, rowCount);
        }

        for (; row < rowCount; row++)
        {
            PredictRowContributions(rows.Slice(row * features, features), contributions.Slice(row * width, width));
        }
    }

    /// <summary>
    /// Up to 64 rows' contributions: kept transposed while the trees add to them (feature f of group g for row r
    /// at ((g·(F + 1) + f)·64 + r)), so that every add serves 16 rows.
    /// </summary>
    private unsafe void ExplainBlock(BitVectorLayout bits, BitVectorShapLayout shap, ReadOnlySpan<float> rows, int rowCount, Span<float> contributions, Span<byte> scratch, Span<float> phi)
    {
        int features = FeatureCount;
        int columns = features + 1;
        var bins = scratch[..bits.BinBytes];
        FillBins(bits, rows, rowCount, features, bins);
        phi.Clear();
        ref byte binStart = ref MemoryMarshal.GetReference(bins);
        ref byte directions = ref MemoryMarshal.GetReference(scratch[bits.BinBytes..]);
        ref byte hot = ref Unsafe.Add(ref directions, shap.MaxTreeTests * BlockRowsBitVector);
        ref byte pattern = ref Unsafe.Add(ref hot, BitVectorShapLayout.MaxPatternFeatures * BlockRowsBitVector);
        ref float phiStart = ref MemoryMarshal.GetReference(phi);
        var tests = shap.Tests;
        for (int t = 0; t < shap.TreeCount; t++)
        {
            // Which way each split sends each row: 0xFF for right.
            int firstTest = shap.TreeTests[t];
            for (int i = firstTest; i < shap.TreeTests[t + 1]; i++)
            {
                ref readonly BitSplit test = ref tests[i];
                Vector512.GreaterThan(Vector512.LoadUnsafe(ref binStart, (nuint)test.BinOffset), Vector512.Create(test.Ranks).AsByte())
                    .StoreUnsafe(ref directions, (nuint)((i - firstTest) * BlockRowsBitVector));
            }

            ref float groupPhi = ref Unsafe.Add(ref phiStart, shap.TreeGroups[t] * columns * BlockRowsBitVector);
            var weight = Vector512.Create(shap.TreeWeights[t]);
            fixed (float* table = shap.TreeTables[t])
            {
                for (int l = shap.TreeLeaves[t]; l < shap.TreeLeaves[t + 1]; l++)
                {
                    AddLeaf(shap, shap.Leaves[l], table, weight, ref directions, ref hot, ref pattern, ref groupPhi);
                }
            }

            ref float bias = ref Unsafe.Add(ref groupPhi, features * BlockRowsBitVector);
            var treeBias = Vector512.Create(shap.TreeBias[t]);
            for (nuint lane = 0; lane < BlockRowsBitVector; lane += 16)
            {
                (Vector512.LoadUnsafe(ref bias, lane) + treeBias).StoreUnsafe(ref bias, lane);
            }
        }

        int width = ContributionWidth;
        for (int r = 0; r < rowCount; r++)
        {
            for (int g = 0; g < GroupCount; g++)
            {
                var target = contributions.Slice((r * width) + (g * columns), columns);
                for (int f = 0; f < columns; f++)
                {
                    target[f] = phi[(((g * columns) + f) * BlockRowsBitVector) + r];
                }

                target[features] += _baseMargins[g];
            }
        }
    }

    /// <summary>One leaf's contributions to 64 rows: its features' hot masks, each row's pattern, then each feature's value looked up for 16 rows at a time.</summary>
    private static unsafe void AddLeaf(BitVectorShapLayout shap, ShapLeafBlock leaf, float* table, Vector512<float> weight, ref byte directions, ref byte hot, ref byte pattern, ref float phi)
    {
        int d = leaf.FeatureCount;
        for (int j = 0; j < d; j++)
        {
            Vector512<byte>.AllBitsSet.StoreUnsafe(ref hot, (nuint)(j * BlockRowsBitVector));
        }

        var path = shap.Path;
        for (int s = leaf.PathStart; s < leaf.PathStart + leaf.PathLength; s++)
        {
            var step = path[s];
            var direction = Vector512.LoadUnsafe(ref directions, (nuint)(step.Test * BlockRowsBitVector));
            ref byte mask = ref Unsafe.Add(ref hot, step.Bit * BlockRowsBitVector);
            var followed = step.Right ? direction : ~direction;
            (Vector512.LoadUnsafe(ref mask) & followed).StoreUnsafe(ref mask);
        }

        var patterns = Vector512<byte>.Zero;
        for (int j = 0; j < d; j++)
        {
            patterns |= Vector512.LoadUnsafe(ref hot, (nuint)(j * BlockRowsBitVector)) & Vector512.Create((byte)(1 << j));
        }

        patterns.StoreUnsafe(ref pattern);

        // Feature j's 2^d values (d ≤ 6: at most four registers) are looked up for 16 rows by two-table permutes;
        // vectors read past a small table hold only lanes no pattern selects.
        int size = 1 << d;
        float* values = table + leaf.TableStart;
        for (int j = 0; j < d; j++)
        {
            float* feature = values + (j << d);
            ref float target = ref Unsafe.Add(ref phi, shap.LeafFeatures[leaf.FeatureStart + j] * BlockRowsBitVector);
            if (d > BitVectorShapLayout.MaxVectorFeatures)
            {
                for (int r = 0; r < BlockRowsBitVector; r++)
                {
                    Unsafe.Add(ref target, r) += feature[Unsafe.Add(ref pattern, r)] * weight.ToScalar();
                }

                continue;
            }

            var t0 = Vector512.Load(feature);
            var t1 = size > 16 ? Vector512.Load(feature + 16) : t0;
            var t2 = size > 32 ? Vector512.Load(feature + 32) : t0;
            var t3 = size > 32 ? Vector512.Load(feature + 48) : t0;
            for (nuint lane = 0; lane < BlockRowsBitVector; lane += 16)
            {
                var value = LookUp(ref pattern, lane, t0, t1, t2, t3, over32: size > 32);
                (Vector512.LoadUnsafe(ref target, lane) + (value * weight)).StoreUnsafe(ref target, lane);
            }
        }
    }
}

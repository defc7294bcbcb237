using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// Finds a value's slot in one of several histograms (<see cref="Histogram.SlotOf"/>'s answer) without a
/// branch per edge. Every scored row pays this once per feature, and the binary search's branches on
/// decile edges mispredicted about every other step: 13 ns a value, 35 µs for a 100-row batch of a
/// 26-feature model. Here each histogram's edges sit in a row of 16 floats padded with +∞, and the slot
/// is how many edges lie below the value: vector compares (one with AVX-512) and bit counts.
/// </summary>
internal sealed class SlotFinder
{
    private const int Width = 16;

    private readonly float[] _edges;
    private readonly int[] _counts;
    private readonly float[][] _original;

    public SlotFinder(IReadOnlyList<float[]> edges)
    {
        _original = [.. edges];
        _counts = new int[_original.Length];
        _edges = new float[_original.Length * Width];
        Array.Fill(_edges, float.PositiveInfinity);
        for (int v = 0; v < _original.Length; v++)
        {
            _counts[v] = _original[v].Length;
            if (_original[v].Length <= Width)
            {
                _original[v].CopyTo(_edges, v * Width);
            }
        }
    }

    /// <summary>The slot of <paramref name="value"/> in histogram <paramref name="variable"/>: its bin, or the last slot when it is missing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int SlotOf(int variable, float value)
    {
        int count = _counts[variable];
        if (float.IsNaN(value))
        {
            return count + 1;
        }

        // Profiles made here have nine edges; a stored one with more than a row holds is searched as before.
        if (count > Width)
        {
            return Histogram.SlotOf(value, _original[variable]);
        }

        // Edges are strictly increasing, so the first edge at or above the value has as many edges below it as its index.
        ref float row = ref _edges[variable * Width];
        if (Vector512.IsHardwareAccelerated)
        {
            return BitOperations.PopCount(Vector512.LessThan(Vector512.LoadUnsafe(ref row), Vector512.Create(value)).ExtractMostSignificantBits());
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var key = Vector256.Create(value);
            return BitOperations.PopCount(Vector256.LessThan(Vector256.LoadUnsafe(ref row), key).ExtractMostSignificantBits())
                + BitOperations.PopCount(Vector256.LessThan(Vector256.LoadUnsafe(ref row, 8), key).ExtractMostSignificantBits());
        }

        if (Vector128.IsHardwareAccelerated)
        {
            var key = Vector128.Create(value);
            uint below = Vector128.LessThan(Vector128.LoadUnsafe(ref row), key).ExtractMostSignificantBits()
                | (Vector128.LessThan(Vector128.LoadUnsafe(ref row, 4), key).ExtractMostSignificantBits() << 4)
                | (Vector128.LessThan(Vector128.LoadUnsafe(ref row, 8), key).ExtractMostSignificantBits() << 8)
                | (Vector128.LessThan(Vector128.LoadUnsafe(ref row, 12), key).ExtractMostSignificantBits() << 12);
            return BitOperations.PopCount(below);
        }

        int slot = 0;
        for (int e = 0; e < count; e++)
        {
            slot += Unsafe.Add(ref row, e) < value ? 1 : 0;
        }

        return slot;
    }
}

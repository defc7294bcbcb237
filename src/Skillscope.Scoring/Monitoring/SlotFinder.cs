using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// Finds a value's slot in one of several histograms (<see cref="Histogram.SlotOf"/>'s answer) without a
/// branch per edge. Every scored row pays this once per feature, and the binary search's branches on
/// decile edges mispredicted about every other step: 13 ns a value, 35 µs for a 100-row batch of a
/// 26-feature model. Here each histogram's edges sit in a row of 16 floats padded with +∞, and the slot
/// is how many edges lie below the value: one or two vector compares and a bit count.
/// </summary>
internal sealed class SlotFinder
{
    private const int Width = 16;

    private readonly float[] _edges;
    private readonly int[] _counts;
    private readonly float[][] _original;
    private readonly bool _padded;

    public SlotFinder(IReadOnlyList<float[]> edges)
    {
        _original = [.. edges];
        _counts = new int[_original.Length];
        _edges = new float[_original.Length * Width];
        Array.Fill(_edges, float.PositiveInfinity);
        _padded = true;
        for (int v = 0; v < _original.Length; v++)
        {
            _counts[v] = _original[v].Length;
            if (_original[v].Length > Width)
            {
                _padded = false;
                continue;
            }

            _original[v].CopyTo(_edges, v * Width);
        }
    }

    /// <summary>The slot of <paramref name="value"/> in histogram <paramref name="variable"/>: its bin, or the last slot when it is missing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int SlotOf(int variable, float value)
    {
        if (float.IsNaN(value))
        {
            return _counts[variable] + 1;
        }

        if (!_padded)
        {
            return Histogram.SlotOf(value, _original[variable]);
        }

        // Edges are strictly increasing, so the first edge at or above the value has as many edges below it as its index.
        ref float row = ref _edges[variable * Width];
        if (Vector512.IsHardwareAccelerated)
        {
            var below = Vector512.LessThan(Vector512.LoadUnsafe(ref row), Vector512.Create(value));
            return BitOperations.PopCount(below.ExtractMostSignificantBits());
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var key = Vector256.Create(value);
            uint low = Vector256.LessThan(Vector256.LoadUnsafe(ref row), key).ExtractMostSignificantBits();
            uint high = Vector256.LessThan(Vector256.LoadUnsafe(ref row, 8), key).ExtractMostSignificantBits();
            return BitOperations.PopCount(low) + BitOperations.PopCount(high);
        }

        int slot = 0;
        for (int e = 0; e < _counts[variable]; e++)
        {
            slot += Unsafe.Add(ref row, e) < value ? 1 : 0;
        }

        return slot;
    }
}

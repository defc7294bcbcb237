namespace Skillscope.Trees.Training;

/// <summary>
/// A trained regression tree as XGBoost stores it: parallel node arrays, nodes numbered breadth-first,
/// leaves holding their (already shrunk) value in <see cref="SplitConditions"/>.
/// </summary>
internal sealed class GrownTree
{
    public required int[] LeftChildren { get; init; }

    public required int[] RightChildren { get; init; }

    public required int[] Parents { get; init; }

    public required int[] SplitIndices { get; init; }

    /// <summary>Threshold of an internal node (x &lt; threshold goes left); value of a leaf.</summary>
    public required float[] SplitConditions { get; init; }

    /// <summary>The histogram bin at or below which a row goes left; lets training walk binned rows without comparing floats.</summary>
    public required int[] SplitBins { get; init; }

    public required bool[] DefaultLeft { get; init; }

    public required float[] LossChanges { get; init; }

    public required float[] SumHessians { get; init; }

    public required float[] BaseWeights { get; init; }

    /// <summary>
    /// For the tree just grown: each leaf's rows, as a range of the row array training passed in, and its value.
    /// Lets training update its predictions without walking the tree.
    /// </summary>
    public required List<(int Start, int End, float Value)> LeafRanges { get; init; }

    public int NodeCount => LeftChildren.Length;

    public bool IsLeaf(int node) => LeftChildren[node] < 0;

    /// <summary>The leaf row <paramref name="row"/> of a binned matrix reaches.</summary>
    public int LeafOf(BinnedMatrix matrix, int row)
    {
        int node = 0;
        while (LeftChildren[node] >= 0)
        {
            ushort bin = matrix.BinAt(row, SplitIndices[node]);
            bool left = bin == BinnedMatrix.Missing ? DefaultLeft[node] : bin <= SplitBins[node];
            node = left ? LeftChildren[node] : RightChildren[node];
        }

        return node;
    }
}

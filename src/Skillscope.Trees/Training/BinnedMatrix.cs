namespace Skillscope.Trees.Training;

/// <summary>
/// The training matrix with every value replaced by its bin within its feature. Held column-major for
/// partitioning and tree walks and, for the training set, also row-major as histogram slots for the
/// histogram builder, which reads a row's values contiguously.
/// </summary>
internal sealed class BinnedMatrix
{
    /// <summary>The bin of a missing value.</summary>
    public const ushort Missing = ushort.MaxValue;

    private BinnedMatrix(ushort[] columns, ushort[]? compactSlots, int[]? wideSlots, int rowCount, int featureCount)
    {
        Columns = columns;
        CompactSlots = compactSlots;
        WideSlots = wideSlots;
        RowCount = rowCount;
        FeatureCount = featureCount;
    }

    /// <summary>
    /// Bins column-major: partitioning reads one feature for many rows, and 32 rows per cache line beat one.
    /// </summary>
    public ushort[] Columns { get; }

    /// <summary>Row-major histogram slots (<see cref="FeatureCuts.SlotOf"/>) when they fit in 16 bits.</summary>
    public ushort[]? CompactSlots { get; }

    /// <summary>Row-major histogram slots when there are more than 65,536 of them.</summary>
    public int[]? WideSlots { get; }

    public int RowCount { get; }

    public int FeatureCount { get; }

    public ushort BinAt(int row, int feature) => Columns[((long)feature * RowCount) + row];

    /// <summary>Bins <paramref name="data"/>; <paramref name="withSlots"/> adds the row-major slots training needs.</summary>
    public static BinnedMatrix Build(TrainingData data, FeatureCuts cuts, WorkerTeam team, bool withSlots)
    {
        int features = data.FeatureCount, rows = data.RowCount;
        const int Chunk = 4096;
        int chunks = (rows + Chunk - 1) / Chunk;
        var columns = new ushort[(long)rows * features];
        team.For(chunks, (_, c) =>
        {
            int end = Math.Min(rows, (c + 1) * Chunk);
            for (int r = c * Chunk; r < end; r++)
            {
                for (int f = 0; f < features; f++)
                {
                    columns[((long)f * rows) + r] = cuts.BinOf(f, data.Features[((long)r * features) + f]);
                }
            }
        });
        if (!withSlots)
        {
            return new BinnedMatrix(columns, null, null, rows, features);
        }

        bool compact = cuts.TotalSlots <= ushort.MaxValue + 1;
        var compactSlots = compact ? new ushort[columns.LongLength] : null;
        var wideSlots = compact ? null : new int[columns.LongLength];
        team.For(chunks, (_, c) =>
        {
            int end = Math.Min(rows, (c + 1) * Chunk);
            for (int r = c * Chunk; r < end; r++)
            {
                for (int f = 0; f < features; f++)
                {
                    int slot = cuts.SlotOf(f, columns[((long)f * rows) + r]);
                    long at = ((long)r * features) + f;
                    if (compactSlots is not null)
                    {
                        compactSlots[at] = (ushort)slot;
                    }
                    else
                    {
                        wideSlots![at] = slot;
                    }
                }
            }
        });
        return new BinnedMatrix(columns, compactSlots, wideSlots, rows, features);
    }
}

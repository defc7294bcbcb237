namespace Skillscope.Trees.Training;

/// <summary>
/// The training matrix with every value replaced by its bin within its feature, row-major, two bytes a
/// value: the histogram builder reads a row's bins contiguously.
/// </summary>
internal sealed class BinnedMatrix
{
    /// <summary>The bin of a missing value.</summary>
    public const ushort Missing = ushort.MaxValue;

    private BinnedMatrix(ushort[] bins, ushort[] columns, int rowCount, int featureCount)
    {
        Bins = bins;
        Columns = columns;
        RowCount = rowCount;
        FeatureCount = featureCount;
    }

    public ushort[] Bins { get; }

    /// <summary>
    /// The same bins column-major: partitioning reads one feature for many rows, and 32 rows per cache
    /// line beat one.
    /// </summary>
    public ushort[] Columns { get; }

    public int RowCount { get; }

    public int FeatureCount { get; }

    public static BinnedMatrix Build(TrainingData data, FeatureCuts cuts, int threads)
    {
        int features = data.FeatureCount;
        var bins = new ushort[(long)data.RowCount * features];
        const int Chunk = 4096;
        int chunks = (data.RowCount + Chunk - 1) / Chunk;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            long start = (long)c * Chunk * features;
            long end = Math.Min((long)(c + 1) * Chunk, data.RowCount) * features;
            for (long i = start; i < end; i++)
            {
                bins[i] = cuts.BinOf((int)(i % features), data.Features[i]);
            }
        });
        var columns = new ushort[bins.LongLength];
        int rows = data.RowCount;
        Parallel.For(0, features, new ParallelOptions { MaxDegreeOfParallelism = threads }, f =>
        {
            long column = (long)f * rows;
            for (int r = 0; r < rows; r++)
            {
                columns[column + r] = bins[((long)r * features) + f];
            }
        });
        return new BinnedMatrix(bins, columns, rows, features);
    }
}

namespace Skillscope.Trees.Training;

/// <summary>
/// The training matrix with every value replaced by its bin within its feature, row-major, two bytes a
/// value: the histogram builder reads a row's bins contiguously.
/// </summary>
internal sealed class BinnedMatrix
{
    /// <summary>The bin of a missing value.</summary>
    public const ushort Missing = ushort.MaxValue;

    private BinnedMatrix(ushort[] bins, int rowCount, int featureCount)
    {
        Bins = bins;
        RowCount = rowCount;
        FeatureCount = featureCount;
    }

    public ushort[] Bins { get; }

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
        return new BinnedMatrix(bins, data.RowCount, features);
    }
}

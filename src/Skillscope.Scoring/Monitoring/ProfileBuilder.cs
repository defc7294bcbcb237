using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Serving;

namespace Skillscope.Scoring.Monitoring;

/// <summary>Makes a <see cref="ReferenceProfile"/> from rows: quantile bin edges per feature and for the score, and the rows' counts in them.</summary>
public static class ProfileBuilder
{
    /// <summary>Bins per variable (deciles): enough to see a shift of a few tenths of a standard deviation, few enough that a day of traffic fills them.</summary>
    public const int Bins = 10;

    /// <param name="source">Where the rows came from (<see cref="ReferenceProfile.FirstScoredRows"/>, …).</param>
    /// <param name="features">Feature names, in the matrix's column order.</param>
    /// <param name="matrix">Rows × features values, NaN where missing.</param>
    /// <param name="scores">One score per row (empty: no score histogram).</param>
    /// <param name="createdAt">When the profile is made.</param>
    public static ReferenceProfile Build(string source, IReadOnlyList<string> features, ReadOnlySpan<float> matrix, ReadOnlySpan<float> scores, DateTime createdAt)
    {
        ArgumentNullException.ThrowIfNull(features);
        int width = features.Count;
        int rows = width == 0 ? scores.Length : matrix.Length / width;
        if (width > 0 && matrix.Length != rows * width)
        {
            throw new ArgumentException($"{matrix.Length} values are not rows of {width} features", nameof(matrix));
        }

        var histograms = new Histogram[width];
        var column = new float[rows];
        for (int f = 0; f < width; f++)
        {
            for (int r = 0; r < rows; r++)
            {
                column[r] = matrix[(r * width) + f];
            }

            histograms[f] = Of(features[f], column);
        }

        var score = scores.IsEmpty ? null : Of(ReferenceProfile.ScoreName, scores.ToArray());
        return new ReferenceProfile(source, rows, createdAt, histograms, score);
    }

    /// <summary>
    /// A version's reference from the data it was trained on: the rows as given (schema order, NaN where
    /// missing) and the scores the package itself gives them, as it will score live rows.
    /// </summary>
    public static ReferenceProfile FromTrainingData(ModelPackage package, ReadOnlySpan<float> matrix, DateTime createdAt)
    {
        ArgumentNullException.ThrowIfNull(package);
        var scorer = new PackageScorer(package);
        int rows = matrix.Length / scorer.FeatureCount;
        var outputs = new float[rows * scorer.OutputWidth];
        scorer.ScoreBatch(matrix, outputs, []);
        return Build(ReferenceProfile.TrainingData, [.. package.Schema.Features.Select(f => f.Name)], matrix,
            scorer.OutputWidth == 1 ? outputs : [], createdAt);
    }

    /// <summary>One variable's histogram over its own deciles.</summary>
    public static Histogram Of(string name, float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var present = new List<float>(values.Length);
        foreach (float value in values)
        {
            if (!float.IsNaN(value))
            {
                present.Add(value);
            }
        }

        present.Sort();
        var edges = new List<float>(Bins - 1);
        for (int q = 1; q < Bins && present.Count > 0; q++)
        {
            float edge = present[(int)((long)q * (present.Count - 1) / Bins)];

            // Tied quantiles (a feature that is often zero) make one bin, not several empty ones.
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        // The largest value has a bin of its own only if something lies above the last edge.
        if (edges.Count > 0 && edges[^1] >= present[^1])
        {
            edges.RemoveAt(edges.Count - 1);
        }

        float[] bounds = [.. edges];
        var counts = new long[Histogram.Slots(bounds)];
        foreach (float value in values)
        {
            counts[Histogram.SlotOf(value, bounds)]++;
        }

        return new Histogram(name, bounds, counts, present.Count > 0 ? present[0] : float.NaN, present.Count > 0 ? present[^1] : float.NaN);
    }
}

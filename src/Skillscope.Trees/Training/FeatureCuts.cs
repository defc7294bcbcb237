namespace Skillscope.Trees.Training;

/// <summary>
/// Histogram bin boundaries per feature. Bin <c>b</c> of a feature holds values in
/// [<c>cut[b−1]</c>, <c>cut[b]</c>), so "bins ≤ b go left" is exactly the XGBoost split "x &lt; cut[b]".
/// A feature with at most <c>max_bin</c> distinct values gets one bin per value; otherwise the cuts are
/// weighted quantiles of the observed values.
/// </summary>
internal sealed class FeatureCuts
{
    private FeatureCuts(float[][] cuts, float[] minimums)
    {
        Cuts = cuts;
        Minimums = minimums;
        SlotOffsets = new int[cuts.Length + 1];
        for (int f = 0; f < cuts.Length; f++)
        {
            SlotOffsets[f + 1] = SlotOffsets[f] + cuts[f].Length + 1;
        }
    }

    /// <summary>Upper bounds of each feature's bins, ascending; empty for a feature that is never observed.</summary>
    public float[][] Cuts { get; }

    /// <summary>A value below each feature's smallest observation: the threshold that sends every observed value right.</summary>
    public float[] Minimums { get; }

    /// <summary>
    /// Where each feature's histogram slots start: one slot per bin and, last, one for missing values, so
    /// the histogram builder adds every value without asking whether it is missing.
    /// </summary>
    public int[] SlotOffsets { get; }

    public int TotalSlots => SlotOffsets[^1];

    /// <summary>The histogram slot of a bin returned by <see cref="BinOf"/> (missing included).</summary>
    public int SlotOf(int feature, ushort bin) =>
        SlotOffsets[feature] + (bin == BinnedMatrix.Missing ? Cuts[feature].Length : bin);

    public static FeatureCuts Build(TrainingData data, int maxBin, WorkerTeam team)
    {
        int featureCount = data.FeatureCount;
        var cuts = new float[featureCount][];
        var minimums = new float[featureCount];
        team.For(featureCount, (_, f) =>
        {
            (cuts[f], minimums[f]) = BuildFeature(data, f, maxBin);
        });
        return new FeatureCuts(cuts, minimums);
    }

    /// <summary>The bin of a value (clamped to the last bin), or <see cref="BinnedMatrix.Missing"/> for NaN.</summary>
    public ushort BinOf(int feature, float value)
    {
        var cuts = Cuts[feature];
        if (float.IsNaN(value) || cuts.Length == 0)
        {
            return BinnedMatrix.Missing;
        }

        // First cut strictly greater than the value.
        int low = 0, high = cuts.Length - 1;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (cuts[middle] > value)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return (ushort)low;
    }

    private static (float[] Cuts, float Minimum) BuildFeature(TrainingData data, int feature, int maxBin)
    {
        int rows = data.RowCount, stride = data.FeatureCount;
        var values = new float[rows];
        var weights = data.Weights is null ? null : new float[rows];
        int count = 0;
        for (int r = 0; r < rows; r++)
        {
            float v = data.Features[((long)r * stride) + feature];
            if (!float.IsNaN(v))
            {
                if (weights is not null)
                {
                    weights[count] = data.Weights![r];
                }

                values[count++] = v;
            }
        }

        if (count == 0)
        {
            return ([], 0f);
        }

        var observed = values.AsSpan(0, count);
        if (weights is null)
        {
            observed.Sort();
        }
        else
        {
            observed.Sort(weights.AsSpan(0, count));
        }

        float min = observed[0], max = observed[^1];
        var cuts = new List<float>(Math.Min(maxBin, count));
        int distinct = 1;
        for (int i = 1; i < count && distinct <= maxBin; i++)
        {
            distinct += observed[i] != observed[i - 1] ? 1 : 0;
        }

        if (distinct <= maxBin)
        {
            for (int i = 1; i < count; i++)
            {
                if (observed[i] != observed[i - 1])
                {
                    cuts.Add(observed[i]);
                }
            }
        }
        else
        {
            double total = 0;
            for (int i = 0; i < count; i++)
            {
                total += weights is null ? 1 : weights[i];
            }

            // Walk the sorted values once, emitting the value found at each 1/max_bin step of cumulative weight.
            double cumulative = 0;
            int next = 1;
            for (int i = 0; i < count && next < maxBin; i++)
            {
                cumulative += weights is null ? 1 : weights[i];
                while (next < maxBin && cumulative >= total * next / maxBin)
                {
                    next++;
                    if (i + 1 < count && observed[i + 1] > min && (cuts.Count == 0 || observed[i + 1] > cuts[^1]))
                    {
                        cuts.Add(observed[i + 1]);
                    }
                }
            }
        }

        // The last bin ends beyond the largest value, as XGBoost's does.
        cuts.Add(max + Math.Abs(max) + 1e-5f);
        return (cuts.ToArray(), min - (Math.Abs(min) + 1e-5f));
    }
}

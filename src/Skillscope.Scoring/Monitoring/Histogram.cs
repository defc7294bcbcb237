namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// One variable's distribution as counts: values in bins bounded above by <see cref="Edges"/> (a value
/// equal to an edge falls in the bin below it; the last bin is open above), then the missing values.
/// </summary>
/// <param name="Name">A feature's name, or <see cref="ReferenceProfile.ScoreName"/>.</param>
/// <param name="Edges">Upper bounds of every bin but the last, strictly increasing (none: one bin).</param>
/// <param name="Counts">Values per bin, then missing values: <c>Edges.Length + 2</c> entries.</param>
/// <param name="Min">Smallest value seen (NaN when every value was missing).</param>
/// <param name="Max">Largest value seen (NaN when every value was missing).</param>
public sealed record Histogram(string Name, float[] Edges, long[] Counts, float Min, float Max)
{
    /// <summary>Slots a histogram over <paramref name="edges"/> takes: one per bin and one for missing values.</summary>
    public static int Slots(float[] edges) => edges.Length + 2;

    public long Total
    {
        get
        {
            long total = 0;
            foreach (long count in Counts)
            {
                total += count;
            }

            return total;
        }
    }

    public long Missing => Counts[^1];

    /// <summary>The slot <paramref name="value"/> is counted in: its bin, or the last slot when it is missing.</summary>
    public static int SlotOf(float value, float[] edges)
    {
        if (float.IsNaN(value))
        {
            return edges.Length + 1;
        }

        // Binary search for the first edge at or above the value: bins are few, but every scored row pays this per feature.
        int low = 0, high = edges.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (value <= edges[middle])
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}

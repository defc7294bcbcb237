namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// Requests one process answered in one minute: how many, how many failed (the server's fault), and how
/// many took each span of time (<see cref="LatencyBoundsMs"/>): what a replica writes, and what a window sums to.
/// </summary>
/// <param name="MinuteStart">The minute's start (UTC).</param>
/// <param name="Requests">Requests answered.</param>
/// <param name="Failures">Of those, answered with a server error.</param>
/// <param name="Latency">Requests per latency slot: slot i up to <see cref="LatencyBoundsMs"/>[i] milliseconds, the last slot above the last bound.</param>
public sealed record RequestCounts(DateTime MinuteStart, long Requests, long Failures, long[] Latency)
{
    /// <summary>Upper bounds of the latency slots, in milliseconds; one more slot holds the slower requests.</summary>
    public static IReadOnlyList<double> LatencyBoundsMs { get; } = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000];

    public static int LatencySlots => LatencyBoundsMs.Count + 1;

    /// <summary>The start (UTC) of the minute <paramref name="at"/> falls in.</summary>
    public static DateTime MinuteOf(DateTime at)
    {
        var utc = at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : at;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
    }

    /// <summary>
    /// The latency below which <paramref name="share"/> of the requests fell, in milliseconds, interpolated
    /// within its slot (the slot above the last bound reads as that bound); null without requests.
    /// </summary>
    public static double? Quantile(ReadOnlySpan<long> latency, double share)
    {
        long total = 0;
        foreach (long count in latency)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        double wanted = share * total;
        long below = 0;
        var bounds = LatencyBoundsMs;
        for (int i = 0; i < latency.Length; i++)
        {
            if (below + latency[i] >= wanted && latency[i] > 0)
            {
                if (i >= bounds.Count)
                {
                    return bounds[^1];
                }

                double lower = i == 0 ? 0 : bounds[i - 1];
                return lower + ((bounds[i] - lower) * (wanted - below) / latency[i]);
            }

            below += latency[i];
        }

        return bounds[^1];
    }
}

using Skillscope.Trees.Metrics;

namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// A shadow candidate against one served version over a window, every replica's rows summed: how many rows
/// both scored, how far apart they were (mean absolute difference over every output, Spearman's rank
/// correlation of the first output on a sample), the share whose band or class changed, time per row of
/// both, and the candidate's failures and dropped rows.
/// </summary>
public sealed record ShadowComparison(
    string Served, long Rows, long Failures, long Dropped, double? MeanAbsoluteDifference, double? RankCorrelation, double? BandChangeShare,
    double? ServedMicrosecondsPerRow, double? CandidateMicrosecondsPerRow, string? LastFailure)
{
    /// <summary>Sums the hours of one served version (at least one) and measures them.</summary>
    public static ShadowComparison Of(IReadOnlyList<ShadowCounts> hours, int width)
    {
        ArgumentNullException.ThrowIfNull(hours);
        long rows = 0, failures = 0, dropped = 0, changes = 0, servedNs = 0, candidateNs = 0;
        double difference = 0;
        string? lastFailure = null;
        var samples = new List<float>();
        foreach (var hour in hours.OrderBy(h => h.HourStart))
        {
            rows += hour.Rows;
            failures += hour.Failures;
            dropped += hour.Dropped;
            changes += hour.BandChanges;
            servedNs += hour.ServedNanoseconds;
            candidateNs += hour.CandidateNanoseconds;
            difference += hour.AbsoluteDifference;
            lastFailure = hour.LastFailure ?? lastFailure;
            samples.AddRange(hour.Samples);
        }

        double? rank = null;
        if (samples.Count >= 6)
        {
            var served = new double[samples.Count / 2];
            var candidate = new double[samples.Count / 2];
            for (int i = 0; i < served.Length; i++)
            {
                (served[i], candidate[i]) = (samples[2 * i], samples[(2 * i) + 1]);
            }

            double r = RegressionMetrics.Spearman(served, candidate);
            rank = double.IsFinite(r) ? Math.Round(r, 6) : null;
        }

        return rows == 0
            ? new ShadowComparison(hours[0].Served, 0, failures, dropped, null, null, null, null, null, lastFailure)
            : new ShadowComparison(hours[0].Served, rows, failures, dropped, difference / (rows * Math.Max(1, width)), rank, (double)changes / rows,
                servedNs / 1_000.0 / rows, candidateNs / 1_000.0 / rows, lastFailure);
    }
}

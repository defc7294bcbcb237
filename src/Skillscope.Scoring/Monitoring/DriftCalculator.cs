namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// Drift as effect sizes, not p-values: the population stability index and the Jensen–Shannon distance of
/// each variable's live distribution against its reference, in the reference's bins. A p-value test fires
/// on any difference once samples are large; an effect size does not grow with the sample. What sampling
/// alone gives two samples of n and m rows from one distribution — an index of about (k − 1)(1/n + 1/m)
/// over k bins, with a standard deviation of about √(2(k − 1))(1/n + 1/m) — is taken off, mean and three
/// standard deviations, before the status is decided, so a small window or reference does not read as drift.
/// </summary>
public static class DriftCalculator
{
    public const string Ok = "ok";
    public const string Warn = "warn";
    public const string Alert = "alert";
    public const string InsufficientData = "insufficient_data";

    /// <summary>
    /// Drift of <paramref name="live"/> (summed counts in <paramref name="reference"/>'s slots) against the
    /// reference, each variable judged by its own thresholds in <paramref name="perVariable"/> when it has some.
    /// </summary>
    public static DriftReport Compare(ReferenceProfile reference, long liveRows, long[] live, DriftThresholds thresholds,
        IReadOnlyDictionary<string, DriftThresholds>? perVariable = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (live.Length != reference.Slots)
        {
            throw new ArgumentException($"{live.Length} live counts for a reference of {reference.Slots} slots", nameof(live));
        }

        var features = new List<VariableDrift>(reference.Features.Count);
        int offset = 0;
        foreach (var histogram in reference.Features)
        {
            features.Add(Variable(histogram, live.AsSpan(offset, histogram.Counts.Length), liveRows, For(histogram.Name)));
            offset += histogram.Counts.Length;
        }

        var score = reference.Score is { } scores ? Variable(scores, live.AsSpan(offset, scores.Counts.Length), liveRows, For(scores.Name)) : null;
        string status = liveRows < thresholds.MinimumRows ? InsufficientData : Ok;
        foreach (var drift in score is null ? features : [.. features, score])
        {
            status = Worse(status, drift.Status);
        }

        return new DriftReport(reference.Rows, reference.Source, reference.CreatedAt, liveRows, status, features, score);

        DriftThresholds For(string name) => perVariable?.GetValueOrDefault(name) ?? thresholds;
    }

    private static VariableDrift Variable(Histogram reference, ReadOnlySpan<long> live, long liveRows, DriftThresholds thresholds)
    {
        long referenceRows = reference.Total;
        int slots = reference.Counts.Length;
        double psi = 0, js = 0;

        // Slots either sample used: bins no row of either fell in add nothing to the index or the sampling term.
        int used = 0;
        if (referenceRows > 0 && liveRows > 0)
        {
            for (int i = 0; i < slots; i++)
            {
                if (reference.Counts[i] == 0 && live[i] == 0)
                {
                    continue;
                }

                used++;

                // Half a row added to every slot: an empty slot on one side makes the index finite, not infinite.
                double p = (reference.Counts[i] + 0.5) / (referenceRows + (0.5 * slots));
                double q = (live[i] + 0.5) / (liveRows + (0.5 * slots));
                psi += (q - p) * Math.Log(q / p);

                double pr = (double)reference.Counts[i] / referenceRows, ql = (double)live[i] / liveRows, m = (pr + ql) / 2;
                js += (pr > 0 ? pr * Math.Log2(pr / m) : 0) + (ql > 0 ? ql * Math.Log2(ql / m) : 0);
            }
        }

        double spread = referenceRows > 0 && liveRows > 0 ? (1.0 / referenceRows) + (1.0 / liveRows) : 0;
        int freedom = Math.Max(0, used - 1);
        double noise = (freedom * spread) + (3 * Math.Sqrt(2.0 * freedom) * spread);
        double excess = Math.Max(0, psi - noise);
        string status = liveRows < thresholds.MinimumRows ? InsufficientData
            : excess >= thresholds.Alert ? Alert
            : excess >= thresholds.Warn ? Warn
            : Ok;
        return new VariableDrift(reference.Name, psi, excess, Math.Sqrt(Math.Max(0, js / 2)),
            referenceRows > 0 ? (double)reference.Missing / referenceRows : 0, liveRows > 0 ? (double)live[^1] / liveRows : 0, status, thresholds.Warn, thresholds.Alert);
    }

    private static string Worse(string a, string b) => Rank(b) > Rank(a) ? b : a;

    private static int Rank(string status) => status switch
    {
        Alert => 3,
        Warn => 2,
        InsufficientData => 1,
        _ => 0,
    };
}

namespace Skillscope.Scoring.Monitoring;

/// <summary>Reference profiles and live counts in the database every replica shares (no scored row is kept, only counts).</summary>
public interface IMonitoringStore
{
    Task<ReferenceProfile?> GetReferenceAsync(string model, string version, CancellationToken cancellation = default);

    /// <summary>Stores a version's reference unless it has one; returns the one stored (the first writer's, on any replica).</summary>
    Task<ReferenceProfile> AddReferenceAsync(string model, string version, ReferenceProfile profile, CancellationToken cancellation = default);

    /// <summary>Writes (or replaces) one writer's counts of one hour: each process keeps its own running totals.</summary>
    Task SaveLiveCountsAsync(string model, string version, string writer, IReadOnlyList<LiveCounts> hours, CancellationToken cancellation = default);

    /// <summary>Every writer's counts of the hours starting from <paramref name="since"/> to before <paramref name="until"/>, summed per hour.</summary>
    Task<IReadOnlyList<LiveCounts>> LiveCountsAsync(string model, string version, DateTime since, DateTime until, CancellationToken cancellation = default);

    /// <summary>Writes (or replaces) one writer's request counts of the given minutes.</summary>
    Task SaveRequestCountsAsync(string writer, IReadOnlyList<RequestCounts> minutes, CancellationToken cancellation = default);

    /// <summary>Every writer's request counts of the minutes from <paramref name="since"/> to before <paramref name="until"/>, one entry per minute and writer.</summary>
    Task<IReadOnlyList<RequestCounts>> RequestCountsAsync(DateTime since, DateTime until, CancellationToken cancellation = default);

    /// <summary>Writes (or replaces) one writer's shadow comparisons of the given hours.</summary>
    Task SaveShadowCountsAsync(string writer, IReadOnlyList<ShadowCounts> hours, CancellationToken cancellation = default);

    /// <summary>Every writer's comparisons of <paramref name="candidate"/> for <paramref name="model"/> in the hours from <paramref name="since"/> to before <paramref name="until"/>.</summary>
    Task<IReadOnlyList<ShadowCounts>> ShadowCountsAsync(string model, string candidate, DateTime since, DateTime until, CancellationToken cancellation = default);

    /// <summary>Writes (or replaces) one writer's per-version counts of the given minutes.</summary>
    Task SaveVersionCountsAsync(string writer, IReadOnlyList<VersionCounts> minutes, CancellationToken cancellation = default);

    /// <summary>Every writer's per-version counts of <paramref name="model"/> in the minutes from <paramref name="since"/> to before <paramref name="until"/>.</summary>
    Task<IReadOnlyList<VersionCounts>> VersionCountsAsync(string model, DateTime since, DateTime until, CancellationToken cancellation = default);

    /// <summary>Stores the scores entities got (a later one for the same model and entity replaces the earlier).</summary>
    Task SavePredictionsAsync(IReadOnlyList<LoggedPrediction> predictions, CancellationToken cancellation = default);

    /// <summary>
    /// Deletes what is past keeping: hourly counts, shadow comparisons, scores and outcomes from before
    /// <paramref name="hourlyBefore"/>; per-minute request and version counts from before <paramref name="minutelyBefore"/>.
    /// </summary>
    Task PruneAsync(DateTime hourlyBefore, DateTime minutelyBefore, CancellationToken cancellation = default);
}

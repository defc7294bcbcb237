using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Inference;
using Skillscope.Assessment.Skills;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;

namespace Skillscope.Server.Hosting;

/// <summary>
/// Every version of a model side by side, for the API and the monitoring page: what it serves, its rows,
/// calls and failures, its metrics on the outcomes of the entities it scored and, for a skill's model, its agreement
/// with teacher ratings, each with a 95 % bootstrap interval.
/// </summary>
internal sealed class ModelComparisons(ModelHost host, IRegistryStore store, IOutcomeStore outcomes, ModelMonitor monitor, IScoreMonitor scores, SkillCatalog skills)
{
    /// <summary>Rated scores read at most for a skill's agreement with ratings (the latest).</summary>
    public const int MaxRatedScores = 20_000;

    /// <summary>The comparison over the window ending now; null when no version of the model is served.</summary>
    public async Task<ModelComparison?> CompareAsync(string name, TimeSpan window, CancellationToken cancellation)
    {
        if (Objective(name) is not { } objective)
        {
            return null;
        }

        var since = monitor.Now - window;
        var measured = VersionOutcomes.Measure(await outcomes.ScoredOutcomesAsync(name, since, cancellation).ConfigureAwait(false), OutcomeLabels.Probabilities(objective));
        var usage = await monitor.VersionUsageAsync(name, window < ModelMonitor.RequestCountsKeptFor ? window : ModelMonitor.RequestCountsKeptFor, cancellation).ConfigureAwait(false);
        IReadOnlyList<VersionOutcomes> agreement = [];
        if (skills.Skills.FirstOrDefault(skill => SkillInference.ModelName(skill) == name) is { } ratedSkill)
        {
            var rated = await scores.RatedScoresAsync(ratedSkill, since, MaxRatedScores, cancellation).ConfigureAwait(false);
            agreement = VersionOutcomes.Measure([.. rated.Select(r => new ScoredOutcome(r.Version, (float)r.Score, r.Rating))], probabilities: false);
        }

        var aliases = await store.ListAliasesAsync(name, cancellation).ConfigureAwait(false);
        var split = (await store.ListSplitsAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(s => s.Name == name);
        var versions = measured.Select(m => m.Version).Concat(usage.Keys).Concat(agreement.Select(a => a.Version)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new ModelComparison(objective, [.. versions.Select(version =>
        {
            var use = usage.GetValueOrDefault(version);
            string[] serves = [.. aliases.Where(a => a.Version == version).Select(a => a.Alias),
                .. split?.Shares.Where(s => s.Version == version).Select(s => $"{s.Percent}% of the split") ?? []];
            var ratings = agreement.FirstOrDefault(a => a.Version == version);
            return new VersionComparison(version, serves, use.Rows, use.FailedRows, use.Calls, use.FailedCalls, use.FailureRate is { } rate ? Math.Round(rate, 6) : null,
                use.Rows > 0 ? Math.Round(use.Nanoseconds / 1_000.0 / use.Rows, 3) : null, measured.FirstOrDefault(m => m.Version == version), ratings?.Outcomes ?? 0, ratings?.Correlation);
        })]);
    }

    /// <summary>The objective of the model's production version (any loaded version when it has none), or null when none is loaded.</summary>
    public string? Objective(string name) =>
        host.Catalog.Models.TryGetValue(name, out var served)
            ? (served.Aliases.GetValueOrDefault(ModelRegistry.Production) ?? served.Versions.Values.FirstOrDefault())?.Package.Model.Objective.Name
            : null;
}

/// <summary>A model's objective and every version's comparison.</summary>
internal sealed record ModelComparison(string Objective, IReadOnlyList<VersionComparison> Versions);

/// <summary>
/// One version: what it serves, rows scored and failed, scoring calls and failed calls (the error rate is per
/// call), model time per row, its metrics on outcomes, and for a skill's model the rated scores and Pearson's
/// r with teacher ratings (95 % interval).
/// </summary>
internal sealed record VersionComparison(string Version, IReadOnlyList<string> Serves, long RowsScored, long RowsFailed, long Calls, long CallsFailed, double? ErrorRate,
    double? MicrosecondsPerRow,
    VersionOutcomes? Outcomes, long RatedScores, Estimate? RatingAgreement);

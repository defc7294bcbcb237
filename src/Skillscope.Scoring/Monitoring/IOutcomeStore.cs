namespace Skillscope.Scoring.Monitoring;

/// <summary>Outcomes reported for scored entities, matched with the scores they got.</summary>
public interface IOutcomeStore
{
    /// <summary>The latest score <paramref name="model"/> gave each of <paramref name="entityIds"/> it has scored, and the version that gave it.</summary>
    Task<IReadOnlyDictionary<string, (string Version, float Score)>> LatestScoresAsync(string model, IReadOnlyCollection<string> entityIds, CancellationToken cancellation = default);

    /// <summary>Stores matched outcomes (a later one for the same entity replaces the earlier).</summary>
    Task SaveOutcomesAsync(string model, IReadOnlyList<MatchedOutcome> outcomes, CancellationToken cancellation = default);

    /// <summary>Outcomes known since <paramref name="since"/>, each with the score and version it was matched with.</summary>
    Task<IReadOnlyList<ScoredOutcome>> ScoredOutcomesAsync(string model, DateTime since, CancellationToken cancellation = default);
}

namespace Skillscope.Scoring.Monitoring;

/// <summary>Outcomes reported for scored entities, matched with the scores they got.</summary>
public interface IOutcomeStore
{
    /// <summary>Of <paramref name="entityIds"/>, those <paramref name="model"/> has scored (whose outcome can be matched).</summary>
    Task<IReadOnlySet<string>> ScoredEntitiesAsync(string model, IReadOnlyCollection<string> entityIds, CancellationToken cancellation = default);

    /// <summary>Stores outcomes (a later one for the same entity replaces the earlier).</summary>
    Task SaveOutcomesAsync(string model, IReadOnlyList<Outcome> outcomes, CancellationToken cancellation = default);

    /// <summary>Outcomes known since <paramref name="since"/>, each with the score the entity last got and the version that gave it.</summary>
    Task<IReadOnlyList<ScoredOutcome>> ScoredOutcomesAsync(string model, DateTime since, CancellationToken cancellation = default);
}

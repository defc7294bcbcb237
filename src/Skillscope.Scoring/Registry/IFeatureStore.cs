namespace Skillscope.Scoring.Registry;

/// <summary>
/// Latest feature values per entity (a lead, a student), kept per model name as JSON objects keyed by
/// feature name, so clients can score by id instead of sending features.
/// </summary>
public interface IFeatureStore
{
    /// <summary>Inserts or replaces each entity's features; returns how many were written.</summary>
    Task<int> UpsertFeaturesAsync(string model, IReadOnlyList<EntityFeatures> entities, CancellationToken cancellation = default);

    /// <summary>The stored features of those ids that exist (as JSON objects), by id.</summary>
    Task<IReadOnlyDictionary<string, string>> GetFeaturesAsync(string model, IReadOnlyList<string> ids, CancellationToken cancellation = default);
}

/// <summary>One entity's features as a JSON object text.</summary>
public sealed record EntityFeatures(string Id, string FeaturesJson);

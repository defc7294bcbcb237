using System.Text.Json;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// Body of <c>POST /api/v1/models/{name}/predict</c>, as documented (the endpoint reads it itself, so a
/// bad item fails alone): feature rows (objects by name, or arrays by position), or the ids of entities
/// whose features are stored; optionally a version or alias, and how many top contributions per item.
/// </summary>
internal sealed record PredictBody(
    IReadOnlyList<JsonElement>? Rows, IReadOnlyList<string>? EntityIds, IReadOnlyList<string>? Ids, string? Version, string? Alias, int? TopK);

/// <summary>Body of <c>PUT /api/v1/features/{model}</c>: features to keep per entity, for scoring by id.</summary>
internal sealed record FeatureUpsertBody(IReadOnlyList<EntityFeaturesBody> Entities);

/// <summary>One entity's features (numbers, booleans or null).</summary>
internal sealed record EntityFeaturesBody(string Id, IReadOnlyDictionary<string, JsonElement> Features);

/// <summary>How many entities' features were stored.</summary>
internal sealed record FeatureUpsertResponse(string Model, int Written);

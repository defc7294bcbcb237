using System.Text.Json;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary><c>PUT /api/v1/features/{model}</c>: bulk upsert of entities' features, so they can be scored by id.</summary>
internal static class FeatureEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPut("/api/v1/features/{model}", Upsert).RequireAuthorization(Roles.SystemPolicy).WithTags("Scoring")
            .TakesAnyMediaType<FeatureUpsertBody>("""{"entities": [{"id": "lead-1", "features": {"visits": 3, "opened_email": true, "budget": null}}]}""")
            .Answers<FeatureUpsertResponse>("Store entities' features for a model, to score them later by id")
            .Refuses(400, "invalid_request", "empty_request", "invalid_entity", "duplicate_id", "wrong_type", "invalid_name").Refuses(413, "too_many_items");

    private static async Task<IResult> Upsert(HttpContext context, string model, IFeatureStore store)
    {
        try
        {
            ModelMetadata.CheckName(model);
        }
        catch (PackageException exception)
        {
            return Problems.Of(context, 400, exception.Code, exception.Message);
        }

        var (document, bodyProblem) = await RequestBody.ReadJsonAsync(context, maxDepth: 16, requireJsonMediaType: false, requireObject: false).ConfigureAwait(false);
        if (document is null)
        {
            return bodyProblem!;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("entities", out var entities) || entities.ValueKind != JsonValueKind.Array)
            {
                return Problems.Of(context, 400, "invalid_request", "send {\"entities\": [{\"id\": \"lead-1\", \"features\": {\"visits\": 3}}]}");
            }

            int count = entities.GetArrayLength();
            if (count == 0)
            {
                return Problems.Of(context, 400, "empty_request", "\"entities\" is empty");
            }

            if (count > PredictRequest.MaxItems)
            {
                return Problems.Of(context, 413, "too_many_items", $"{count} entities; at most {PredictRequest.MaxItems} per request");
            }

            var rows = new List<EntityFeatures>(count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            foreach (var entity in entities.EnumerateArray())
            {
                if (entity.ValueKind != JsonValueKind.Object
                    || !entity.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= 200 } text
                    || !entity.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Object)
                {
                    return Problems.Of(context, 400, "invalid_entity", $"entities[{index}] must be {{\"id\": \"…\", \"features\": {{…}}}}");
                }

                if (!seen.Add(text))
                {
                    return Problems.Of(context, 400, "duplicate_id", $"id \"{text}\" appears twice");
                }

                foreach (var feature in features.EnumerateObject())
                {
                    if (feature.Value.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False))
                    {
                        return Problems.Of(context, 400, "wrong_type", $"entities[{index}].features.{feature.Name} must be a number, true/false or null");
                    }
                }

                rows.Add(new EntityFeatures(text, features.GetRawText()));
                index++;
            }

            int written = await store.UpsertFeaturesAsync(model, rows, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new FeatureUpsertResponse(model, written), JsonDefaults.Options);
        }
    }
}

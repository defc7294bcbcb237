using System.Text.Json;

namespace Skillscope.Server.Endpoints;

/// <summary>A parsed scoring request, or the reason it is not one.</summary>
internal sealed record PredictRequest(IReadOnlyList<JsonElement> Rows, IReadOnlyList<string?> EntityIds, string? Version, string? Alias, int TopK)
{
    public const int MaxItems = 2000;
    public const int MaxTopK = 50;

    /// <summary>Reads <c>{"rows": [...], "entity_ids"?: [...], "version"?, "alias"?, "top_k"?}</c>.</summary>
    public static (PredictRequest? Request, int Status, string? Code, string? Message) Parse(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array || (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("ids", out _)))
        {
            return (null, 400, "ids_not_supported", "scoring by entity id needs a feature store, which this server does not have yet; send feature rows as {\"rows\": [...]}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, 400, "invalid_request", "the body must be a JSON object such as {\"rows\": [{\"feature\": 1.0}]}");
        }

        JsonElement? rows = null, entityIds = null;
        string? version = null, alias = null;
        int topK = 0;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "rows" when property.Value.ValueKind == JsonValueKind.Array:
                    rows = property.Value;
                    break;
                case "entity_ids" when property.Value.ValueKind == JsonValueKind.Array:
                    entityIds = property.Value;
                    break;
                case "version" when property.Value.ValueKind == JsonValueKind.String:
                    version = property.Value.GetString();
                    break;
                case "alias" when property.Value.ValueKind == JsonValueKind.String:
                    alias = property.Value.GetString();
                    break;
                case "top_k" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out int k) && k is >= 0 and <= MaxTopK:
                    topK = k;
                    break;
                case "rows" or "entity_ids" or "version" or "alias" or "top_k":
                    return (null, 400, "invalid_field", $"\"{property.Name}\" has the wrong type or value (rows and entity_ids: arrays; version and alias: strings; top_k: 0 to {MaxTopK})");
                default:
                    return (null, 400, "unknown_field", $"\"{property.Name}\" is not a field of a scoring request; use rows, entity_ids, version, alias, top_k");
            }
        }

        if (rows is not { } rowArray)
        {
            return (null, 400, "invalid_request", "the request has no \"rows\" array");
        }

        int count = rowArray.GetArrayLength();
        if (count == 0)
        {
            return (null, 400, "empty_request", "\"rows\" is empty");
        }

        if (count > MaxItems)
        {
            return (null, 413, "too_many_items", $"{count} rows; at most {MaxItems} per request");
        }

        var ids = new string?[count];
        if (entityIds is { } idArray)
        {
            if (idArray.GetArrayLength() != count)
            {
                return (null, 400, "invalid_field", "\"entity_ids\" must have one id per row");
            }

            int i = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in idArray.EnumerateArray())
            {
                if (id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= 200 } text)
                {
                    return (null, 400, "invalid_field", $"entity_ids[{i}] must be a string of 1 to 200 characters");
                }

                if (!seen.Add(text))
                {
                    return (null, 400, "duplicate_id", $"entity id \"{text}\" appears twice");
                }

                ids[i++] = text;
            }
        }

        return (new PredictRequest([.. rowArray.EnumerateArray()], ids, version, alias, topK), 200, null, null);
    }
}

using System.Text.Json;

namespace Skillscope.Server.Endpoints;

/// <summary>A parsed scoring request, or the reason it is not one.</summary>
/// <param name="Rows">Feature rows; empty when the request names entities by id instead.</param>
/// <param name="EntityIds">One per item: the entity it is about (for sticky splits and by-id scoring), or null.</param>
/// <param name="Version">An explicit version to score with, for testing a candidate.</param>
/// <param name="Alias">An alias to score with instead of production (or the split).</param>
/// <param name="TopK">How many top contributions to return per item (0: none).</param>
internal sealed record PredictRequest(IReadOnlyList<JsonElement> Rows, IReadOnlyList<string?> EntityIds, string? Version, string? Alias, int TopK)
{
    /// <summary>Whether items are entity ids to look up in the feature store.</summary>
    public bool ByIds => Rows.Count == 0;

    public int Count => EntityIds.Count;

    public const int MaxItems = 2000;
    public const int MaxTopK = 50;

    /// <summary>Reads <c>{"rows": [...], "entity_ids"?: [...], "version"?, "alias"?, "top_k"?}</c>.</summary>
    public static (PredictRequest? Request, int Status, string? Code, string? Message) Parse(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return ParseIds(root, null, null, 0);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, 400, "invalid_request", "the body must be a JSON object such as {\"rows\": [{\"feature\": 1.0}]}");
        }

        JsonElement? rows = null, entityIds = null, ids = null;
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
                case "ids" when property.Value.ValueKind == JsonValueKind.Array:
                    ids = property.Value;
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
                case "rows" or "entity_ids" or "ids" or "version" or "alias" or "top_k":
                    return (null, 400, "invalid_field", $"\"{property.Name}\" has the wrong type or value (rows, ids and entity_ids: arrays; version and alias: strings; top_k: 0 to {MaxTopK})");
                default:
                    return (null, 400, "unknown_field", $"\"{property.Name}\" is not a field of a scoring request; use rows or ids, entity_ids, version, alias, top_k");
            }
        }

        if (ids is { } idList)
        {
            return rows is null && entityIds is null
                ? ParseIds(idList, version, alias, topK)
                : (null, 400, "invalid_request", "send either \"rows\" (with optional \"entity_ids\") or \"ids\", not both");
        }

        if (rows is not { } rowArray)
        {
            return (null, 400, "invalid_request", "the request has no \"rows\" (or \"ids\") array");
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

        var entities = new string?[count];
        if (entityIds is { } idArray)
        {
            if (idArray.GetArrayLength() != count)
            {
                return (null, 400, "invalid_field", "\"entity_ids\" must have one id per row");
            }

            if (ReadIds(idArray, "entity_ids") is { } problem)
            {
                return (null, 400, problem.Code, problem.Message);
            }

            int i = 0;
            foreach (var id in idArray.EnumerateArray())
            {
                entities[i++] = id.GetString();
            }
        }

        return (new PredictRequest([.. rowArray.EnumerateArray()], entities, version, alias, topK), 200, null, null);
    }

    /// <summary>The CRM contract's body: a bare array of lead ids, <c>{"lead_ids": [...]}</c>, or a scoring request as <see cref="Parse"/> reads it.</summary>
    public static (PredictRequest? Request, int Status, string? Code, string? Message) ParseLeads(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("lead_ids", out var leads))
        {
            return Parse(root);
        }

        return leads.ValueKind == JsonValueKind.Array && root.EnumerateObject().Count() == 1
            ? ParseIds(leads, null, null, 0)
            : (null, 400, "invalid_request", "send {\"lead_ids\": [\"id\", …]} with nothing else, a bare array of lead ids, or a scoring request such as {\"rows\": […]}");
    }

    private static (PredictRequest? Request, int Status, string? Code, string? Message) ParseIds(JsonElement idArray, string? version, string? alias, int topK)
    {
        int count = idArray.GetArrayLength();
        if (count == 0)
        {
            return (null, 400, "empty_request", "the list of ids is empty");
        }

        if (count > MaxItems)
        {
            return (null, 413, "too_many_items", $"{count} ids; at most {MaxItems} per request");
        }

        if (ReadIds(idArray, "ids") is { } problem)
        {
            return (null, 400, problem.Code, problem.Message);
        }

        return (new PredictRequest([], [.. idArray.EnumerateArray().Select(id => id.GetString())], version, alias, topK), 200, null, null);
    }

    /// <summary>Every id a non-empty string of at most 200 characters, none twice.</summary>
    private static (string Code, string Message)? ReadIds(JsonElement idArray, string field)
    {
        int i = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in idArray.EnumerateArray())
        {
            if (id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 and <= 200 } text)
            {
                return ("invalid_field", $"{field}[{i}] must be a string of 1 to 200 characters");
            }

            if (!seen.Add(text))
            {
                return ("duplicate_id", $"id \"{text}\" appears twice");
            }

            i++;
        }

        return null;
    }
}

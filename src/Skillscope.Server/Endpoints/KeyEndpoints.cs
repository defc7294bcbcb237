using System.Text.Json;
using Skillscope.Assessment.Roster;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// API keys, for admins of the whole system: <c>GET /api/v1/keys</c> lists them (never the keys themselves,
/// which are stored only as hashes) with their use; <c>POST</c> creates one (shown once);
/// <c>DELETE /api/v1/keys/{id}</c> revokes one; <c>POST /api/v1/keys/{id}/rotate</c> replaces one.
/// </summary>
internal static class KeyEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/keys").RequireAuthorization(Roles.AdminPolicy).WithTags("API keys");
        keys.MapGet("", List).Answers<KeyListResponse>("Every API key (never its secret): role, binding, expiry, use");
        keys.MapPost("", Create).Takes<KeyCreateBody>("""{"name": "crm", "role": "service", "expires_in": "90d"}""")
            .Answers<KeyCreatedResponse>("Create a key; its secret is in the answer once and never again", 201)
            .Refuses(400, "invalid_request", "unknown_field", "invalid_field", "invalid_expiry", "invalid_role", "invalid_name", "invalid_binding").Refuses(422, "unknown_binding");
        keys.MapDelete("/{id}", Revoke).WithSummary("Revoke a key: every replica refuses it within ApiKeys:CacheSeconds").Produces(204).Refuses(404, "key_not_found");
        keys.MapPost("/{id}/rotate", Rotate).Answers<KeyCreatedResponse>("Replace a key by a new one with the same name, role and binding (the old one is revoked)", 201)
            .Refuses(404, "key_not_found");
    }

    /// <summary>What a key looks like from outside: everything but its hash.</summary>
    public static KeyView View(ApiKeyRecord key, DateTime now) =>
        new(key.Id, key.Name, key.Role, key.TeacherId, key.DistrictId, key.CreatedAt, key.ExpiresAt, key.RevokedAt, State(key, now), key.Requests, key.LastUsedAt);

    /// <summary>active, expired or revoked.</summary>
    public static string State(ApiKeyRecord key, DateTime now) => key.RevokedAt is not null ? "revoked" : key.IsExpired(now) ? "expired" : "active";

    private static async Task<IResult> List(HttpContext context, IRegistryStore store, TimeProvider time)
    {
        var keys = await store.ListApiKeysAsync(context.RequestAborted).ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;
        return Results.Json(new KeyListResponse(RequestIds.Of(context), keys.Select(k => View(k, now)).ToArray()), JsonDefaults.Options);
    }

    private static async Task<IResult> Create(HttpContext context, IRegistryStore store, IRosterDirectory roster, TimeProvider time)
    {
        var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth: 4, requireJsonMediaType: true, requireObject: true).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        string? name, role, teacherId, districtId, expiresIn;
        using (document)
        {
            var body = document.RootElement;
            (name, role, teacherId, districtId, expiresIn) = (Text(body, "name"), Text(body, "role"), Text(body, "teacher_id"), Text(body, "district_id"), Text(body, "expires_in"));
            foreach (var field in body.EnumerateObject())
            {
                if (field.Name is not ("name" or "role" or "teacher_id" or "district_id" or "expires_in"))
                {
                    return Problems.Of(context, 400, "unknown_field", $"\"{field.Name}\" is not a field of a key (name, role, teacher_id, district_id, expires_in)");
                }

                if (field.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    return Problems.Of(context, 400, "invalid_field", $"\"{field.Name}\" must be a string");
                }
            }
        }

        TimeSpan? lifetime = null;
        if (expiresIn is not null && (lifetime = ApiKeys.ParseLifetime(expiresIn)) is null)
        {
            return Problems.Of(context, 400, "invalid_expiry", "\"expires_in\" is a number and a unit (m, h, d or w), e.g. \"90d\", of at most 3650 days");
        }

        if (await RosterBinding.MissingAsync(roster, teacherId, districtId, context.RequestAborted).ConfigureAwait(false) is { } missing)
        {
            return Problems.Of(context, 422, "unknown_binding", missing);
        }

        try
        {
            var (record, key) = await ApiKeys.CreateAsync(store, role ?? "", name ?? "", Actors.Of(context), teacherId, districtId, lifetime, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new KeyCreatedResponse(RequestIds.Of(context), key, ShownOnce: true, Replaces: null, View(record, time.GetUtcNow().UtcDateTime)), JsonDefaults.Options, statusCode: 201);
        }
        catch (RegistryException exception)
        {
            return Problems.Of(context, 400, exception.Code, exception.Message);
        }
    }

    private static async Task<IResult> Revoke(HttpContext context, string id, IRegistryStore store) =>
        await ApiKeys.RevokeAsync(store, id, Actors.Of(context), context.RequestAborted).ConfigureAwait(false)
            ? Results.NoContent()
            : Problems.Of(context, 404, "key_not_found", $"no active API key has the id \"{id}\"");

    private static async Task<IResult> Rotate(HttpContext context, string id, IRegistryStore store, TimeProvider time) =>
        await ApiKeys.RotateAsync(store, id, Actors.Of(context), context.RequestAborted).ConfigureAwait(false) is { } rotated
            ? Results.Json(new KeyCreatedResponse(RequestIds.Of(context), rotated.Key, ShownOnce: true, Replaces: id, View(rotated.Record, time.GetUtcNow().UtcDateTime)),
                JsonDefaults.Options, statusCode: 201)
            : Problems.Of(context, 404, "key_not_found", $"no active API key has the id \"{id}\" (a revoked or expired key cannot be rotated; create a new one)");

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

using System.Text.Json;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Hosting;
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
        app.MapGet("/api/v1/keys", List).RequireAuthorization(Roles.AdminPolicy);
        app.MapPost("/api/v1/keys", Create).RequireAuthorization(Roles.AdminPolicy);
        app.MapDelete("/api/v1/keys/{id}", Revoke).RequireAuthorization(Roles.AdminPolicy);
        app.MapPost("/api/v1/keys/{id}/rotate", Rotate).RequireAuthorization(Roles.AdminPolicy);
    }

    /// <summary>What a key looks like from outside: everything but its hash.</summary>
    public static object View(ApiKeyRecord key, DateTime now) => new
    {
        id = key.Id,
        name = key.Name,
        role = key.Role,
        teacher_id = key.TeacherId,
        district_id = key.DistrictId,
        created_at = key.CreatedAt,
        expires_at = key.ExpiresAt,
        revoked_at = key.RevokedAt,
        state = State(key, now),
        requests = key.Requests,
        last_used_at = key.LastUsedAt,
    };

    /// <summary>active, expired or revoked.</summary>
    public static string State(ApiKeyRecord key, DateTime now) => key.RevokedAt is not null ? "revoked" : key.IsExpired(now) ? "expired" : "active";

    private static async Task<IResult> List(HttpContext context, IRegistryStore store, TimeProvider time)
    {
        var keys = await store.ListApiKeysAsync(context.RequestAborted).ConfigureAwait(false);
        var now = time.GetUtcNow().UtcDateTime;
        return Results.Json(new { request_id = RequestIds.Of(context), keys = keys.Select(k => View(k, now)) }, JsonDefaults.Options);
    }

    private static async Task<IResult> Create(HttpContext context, IRegistryStore store, AssessmentServices services, TimeProvider time)
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

        if (await RosterBinding.MissingAsync(services.Store, teacherId, districtId, context.RequestAborted).ConfigureAwait(false) is { } missing)
        {
            return Problems.Of(context, 422, "unknown_binding", missing);
        }

        try
        {
            var (record, key) = await ApiKeys.CreateAsync(store, role ?? "", name ?? "", Actors.Of(context), teacherId, districtId, lifetime, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new { request_id = RequestIds.Of(context), key, shown_once = true, record = View(record, time.GetUtcNow().UtcDateTime) }, JsonDefaults.Options, statusCode: 201);
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
            ? Results.Json(new { request_id = RequestIds.Of(context), key = rotated.Key, shown_once = true, replaces = id, record = View(rotated.Record, time.GetUtcNow().UtcDateTime) },
                JsonDefaults.Options, statusCode: 201)
            : Problems.Of(context, 404, "key_not_found", $"no active API key has the id \"{id}\" (a revoked or expired key cannot be rotated; create a new one)");

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

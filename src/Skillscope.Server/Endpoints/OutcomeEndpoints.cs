using System.Text.Json;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Hosting;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// <c>POST /api/v1/models/{name}/outcomes</c>: what became of scored entities, matched later with the
/// version that scored each; <c>GET /api/v1/models/{name}/comparison</c>: every version measured on them.
/// </summary>
internal static class OutcomeEndpoints
{
    public const int MaxOutcomes = 10_000;

    public static void Map(IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/api/v1/models").WithTags("Monitoring");
        models.MapPost("/{name}/outcomes", Record).RequireAuthorization(Roles.ScoringPolicy)
            .Takes<OutcomesRequest>("""{"outcomes": [{"entity_id": "lead-17", "label": 1, "at": "2026-12-06T14:00:00Z"}]}""")
            .Answers<OutcomesResponse>($"Record outcomes of scored entities (up to {MaxOutcomes:N0}); each one that cannot be recorded is reported with why, the others are kept")
            .Refuses(400, "invalid_request").Refuses(404, "model_not_found").Refuses(503, "model_not_loaded");
        models.MapGet("/{name}/comparison", Compare).RequireAuthorization(Roles.AdminPolicy)
            .Answers<ComparisonResponse>("Every version on the outcomes of the entities it scored (for a skill's model, also on teacher ratings), with 95 % bootstrap intervals, and its rows and failures (window: 30d by default)")
            .Refuses(400, "invalid_window").Refuses(404, "model_not_found").Refuses(503, "model_not_loaded");
    }

    private static async Task<IResult> Record(HttpContext context, string name, ModelComparisons comparisons, IRegistryStore store, IOutcomeStore outcomes, TimeProvider time)
    {
        var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth: 8, requireJsonMediaType: true, requireObject: true).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            const string Usage = "send {\"outcomes\": [{\"entity_id\": \"lead-17\", \"label\": 1, \"at\": \"2026-12-06T14:00:00Z\"}, …]}";
            if (!document.RootElement.TryGetProperty("outcomes", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return Problems.Of(context, 400, "invalid_request", Usage);
            }

            if (items.GetArrayLength() is 0 or > MaxOutcomes)
            {
                return Problems.Of(context, 400, "invalid_request", $"send 1 to {MaxOutcomes:N0} outcomes, not {items.GetArrayLength():N0}");
            }

            if (comparisons.Objective(name) is not { } objective)
            {
                return await MissingModelAsync(context, name, store).ConfigureAwait(false);
            }

            var inputs = items.EnumerateArray().Select(Input).ToArray();
            var (recorded, refused) = await OutcomeIntake.RecordAsync(outcomes, name, objective, inputs, time.GetUtcNow().UtcDateTime, context.RequestAborted)
                .ConfigureAwait(false);
            return Results.Json(new OutcomesResponse(RequestIds.Of(context), name, recorded, refused.Count, refused), JsonDefaults.Options);
        }
    }

    /// <summary>An item as sent; what is not of the right JSON type reads as missing, and is refused by name.</summary>
    private static OutcomeInput Input(JsonElement item) => item.ValueKind != JsonValueKind.Object
        ? new OutcomeInput(null, null, null)
        : new OutcomeInput(
            item.TryGetProperty("entity_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
            item.TryGetProperty("label", out var label) && label.ValueKind == JsonValueKind.Number && label.TryGetDouble(out double value) ? value : null,
            item.TryGetProperty("at", out var at) ? at.ValueKind switch { JsonValueKind.Null => null, JsonValueKind.String => at.GetString(), _ => at.GetRawText() } : null);

    private static async Task<IResult> Compare(HttpContext context, string name, string? window, IRegistryStore store, ModelComparisons comparisons)
    {
        string windowText = string.IsNullOrWhiteSpace(window) ? "30d" : window.Trim();
        if (AlertWindow.Parse(windowText) is not { } span)
        {
            return Problems.Of(context, 400, "invalid_window", $"window \"{windowText}\" is not a number of minutes, hours or days such as 7d (at most 90d)");
        }

        return await comparisons.CompareAsync(name, span, context.RequestAborted).ConfigureAwait(false) is { } comparison
            ? Results.Json(new ComparisonResponse(RequestIds.Of(context), name, comparison.Objective, windowText, comparison.Versions), JsonDefaults.Options)
            : await MissingModelAsync(context, name, store).ConfigureAwait(false);
    }

    private static async Task<IResult> MissingModelAsync(HttpContext context, string name, IRegistryStore store) =>
        (await store.ListVersionsAsync(name, context.RequestAborted).ConfigureAwait(false)).Count == 0
            ? Problems.Of(context, 404, "model_not_found", $"no model named \"{name}\"")
            : Problems.Of(context, 503, "model_not_loaded", $"{name} is registered but no version of it is served; promote one");
}

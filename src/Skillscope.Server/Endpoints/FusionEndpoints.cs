using System.Text.Json;
using Skillscope.Assessment.Fusion;
using Skillscope.Server.Hosting;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// <c>GET/PUT /api/v1/fusion/weights[/{skill}]</c> and <c>POST /api/v1/fusion/weights/reload</c>:
/// read and change the fusion weights. An invalid update is refused whole (422) and the weights in force stay.
/// </summary>
internal static class FusionEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var weights = app.MapGroup("/api/v1/fusion/weights").WithTags("Fusion weights");
        weights.MapGet("", GetAll).RequireAuthorization(Roles.ScoringPolicy).Answers<FusionWeightsResponse>("The fusion weights in force for every skill, with their version");
        weights.MapGet("/{skill}", GetOne).RequireAuthorization(Roles.ScoringPolicy).Answers<SkillWeightsResponse>("One skill's fusion weights").Refuses(404, "skill_not_found");
        weights.MapPut("", PutAll).RequireAuthorization(Roles.AdminPolicy)
            .Takes<FusionWeightsBody>("""{"version": 3, "skills": {"empathy": {"ml": 0.6, "linguistic": 0.15, "behavioral": 0.15, "confidence": 0.1}}}""")
            .Answers<FusionWeightsResponse>("Change skills' weights (validated, versioned, audited); a change based on an older version is refused")
            .Refuses(400, "invalid_request").Refuses(409, "version_conflict").Refuses(422, "invalid_weights", "unknown_skill", "missing_skill", "weights_missing");
        weights.MapPut("/{skill}", PutOne).RequireAuthorization(Roles.AdminPolicy)
            .Takes<SkillWeightsBody>("""{"version": 3, "ml": 0.5, "linguistic": 0.2, "behavioral": 0.2, "confidence": 0.1}""")
            .Answers<FusionWeightsResponse>("Change one skill's weights").Refuses(404, "skill_not_found")
            .Refuses(409, "version_conflict").Refuses(422, "invalid_weights", "weights_missing");
        weights.MapPost("/reload", Reload).RequireAuthorization(Roles.AdminPolicy)
            .Answers<FusionWeightsResponse>("Read the weights file again (one machine on SQLite) or the database's latest version").Refuses(422, "invalid_weights", "invalid_json", "weights_file_unreadable", "unknown_skill", "missing_skill", "weights_missing");
    }

    private static IResult GetAll(HttpContext context, AssessmentServices services) => Document(context, services.Fusion);

    private static IResult GetOne(HttpContext context, string skill, AssessmentServices services)
    {
        var weights = services.Fusion.Current;
        if (!weights.Skills.TryGetValue(skill, out var one))
        {
            return SkillNotFound.Problem(context, skill, services.Catalog);
        }

        return Results.Json(new SkillWeightsResponse(RequestIds.Of(context), skill, weights.Version, Weights(one)), JsonDefaults.Options);
    }

    private static async Task<IResult> PutAll(HttpContext context, AssessmentServices services)
    {
        var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth: 8, requireJsonMediaType: true, requireObject: true).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            var root = document.RootElement;
            if (!root.TryGetProperty("skills", out var skills) || skills.ValueKind != JsonValueKind.Object)
            {
                return Problems.Of(context, 400, "invalid_request", "send {\"version\": N?, \"skills\": {\"empathy\": {\"ml\": 0.6, \"linguistic\": 0.15, \"behavioral\": 0.15, \"confidence\": 0.1}, …}}");
            }

            if (!TryBasedOn(context, root, services.Fusion, out long? basedOn, out var invalid))
            {
                return invalid;
            }

            return await Apply(context, services, basedOn, () => skills.EnumerateObject().ToDictionary(
                s => s.Name, s => FusionWeights.ParseSkill(s.Name, s.Value, services.Catalog), StringComparer.Ordinal)).ConfigureAwait(false);
        }
    }

    private static async Task<IResult> PutOne(HttpContext context, string skill, AssessmentServices services)
    {
        if (services.Catalog.IndexOf(skill) < 0)
        {
            return SkillNotFound.Problem(context, skill, services.Catalog);
        }

        var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth: 8, requireJsonMediaType: true, requireObject: true).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            var root = document.RootElement;
            if (!TryBasedOn(context, root, services.Fusion, out long? basedOn, out var invalid))
            {
                return invalid;
            }

            var weights = root.TryGetProperty("weights", out var inner) ? inner : root;
            return await Apply(context, services, basedOn, () => new Dictionary<string, SkillWeights>(StringComparer.Ordinal)
            {
                [skill] = FusionWeights.ParseSkill(skill, Without(weights, "version"), services.Catalog),
            }).ConfigureAwait(false);
        }
    }

    private static async Task<IResult> Reload(HttpContext context, AssessmentServices services)
    {
        try
        {
            await services.Fusion.ReloadAsync(Actors.Of(context), context.RequestAborted).ConfigureAwait(false);
            return Document(context, services.Fusion);
        }
        catch (FusionWeightsException exception)
        {
            return Problems.Of(context, 422, exception.Code, $"{services.Fusion.Location} was not applied: {exception.Message}; version {services.Fusion.Current.Version} stays in force");
        }
    }

    private static async Task<IResult> Apply(HttpContext context, AssessmentServices services, long? basedOn, Func<Dictionary<string, SkillWeights>> read)
    {
        try
        {
            var changes = read();
            await services.Fusion.UpdateAsync(changes, Actors.Of(context), basedOn, context.RequestAborted).ConfigureAwait(false);
            return Document(context, services.Fusion);
        }
        catch (FusionWeightsException exception) when (exception.Code == "version_conflict")
        {
            return Problems.Of(context, 409, exception.Code, $"{exception.Message}; read them again and retry");
        }
        catch (FusionWeightsException exception)
        {
            return Problems.Of(context, 422, exception.Code, $"{exception.Message}; nothing was changed (version {services.Fusion.Current.Version} stays in force)");
        }
    }

    /// <summary>
    /// An update may name the version it was based on; the weights source refuses it if they moved on
    /// since (checked against the stored newest version, not this process's copy, which may lag another replica's save).
    /// </summary>
    private static bool TryBasedOn(HttpContext context, JsonElement root, IFusionWeightsSource fusion, out long? basedOn, out IResult invalid)
    {
        basedOn = null;
        invalid = Results.Empty;
        if (!root.TryGetProperty("version", out var version))
        {
            return true;
        }

        if (!version.TryGetInt64(out long based))
        {
            invalid = Problems.Of(context, 409, "version_conflict", $"the weights are at version {fusion.Current.Version}, not {version.GetRawText()}; read them again and retry");
            return false;
        }

        basedOn = based;
        return true;
    }

    private static JsonElement Without(JsonElement weights, string property)
    {
        if (weights.ValueKind != JsonValueKind.Object || !weights.TryGetProperty(property, out _))
        {
            return weights;
        }

        var copy = weights.EnumerateObject().Where(p => p.Name != property).ToDictionary(p => p.Name, p => p.Value);
        return JsonSerializer.SerializeToElement(copy);
    }

    private static IResult Document(HttpContext context, IFusionWeightsSource fusion)
    {
        var weights = fusion.Current;
        return Results.Json(new FusionWeightsResponse(
            RequestIds.Of(context),
            weights.Version,
            weights.UpdatedAt,
            weights.UpdatedBy,
            weights.Skills.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => Weights(s.Value)),
            fusion.ReloadError), JsonDefaults.Options);
    }

    private static WeightsView Weights(SkillWeights w) => new(w.Ml, w.Linguistic, w.Behavioral, w.Confidence);
}

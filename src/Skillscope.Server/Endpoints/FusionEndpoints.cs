using System.Text.Json;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Skills;
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
        var proposals = app.MapGroup("/api/v1/fusion/proposals").WithTags("Fusion weights").RequireAuthorization(Roles.AdminPolicy);
        proposals.MapGet("", ListProposals)
            .Answers<FusionProposalsResponse>("Fusion weights fitted to teacher ratings (skillscope fusion fit), newest first: per skill the weights in force and proposed, cross-validated r and the gain");
        proposals.MapPost("/{id:long}/apply", ApplyProposal)
            .Answers<FusionWeightsResponse>("Apply a proposal: its skills' weights become the next version (audited), only while the version it was fitted over is in force")
            .Refuses(404, "proposal_not_found").Refuses(409, "proposal_applied", "version_conflict").Refuses(422, "nothing_to_apply", "invalid_weights");
        weights.MapPost("/reload", Reload).RequireAuthorization(Roles.AdminPolicy)
            .Answers<FusionWeightsResponse>("Read the weights file again (one machine on SQLite) or the database's latest version").Refuses(422, "invalid_weights", "invalid_json", "weights_file_unreadable", "unknown_skill", "missing_skill", "weights_missing");
    }

    private static IResult GetAll(HttpContext context, IFusionWeightsSource fusion) => Document(context, fusion);

    private static IResult GetOne(HttpContext context, string skill, IFusionWeightsSource fusion, SkillCatalog catalog)
    {
        var weights = fusion.Current;
        if (!weights.Skills.TryGetValue(skill, out var one))
        {
            return SkillNotFound.Problem(context, skill, catalog);
        }

        return Results.Json(new SkillWeightsResponse(RequestIds.Of(context), skill, weights.Version, Weights(one)), JsonDefaults.Options);
    }

    private static async Task<IResult> PutAll(HttpContext context, IFusionWeightsSource fusion, SkillCatalog catalog)
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

            if (!TryBasedOn(context, root, fusion, out long? basedOn, out var invalid))
            {
                return invalid;
            }

            return await Apply(context, fusion, basedOn, () => skills.EnumerateObject().ToDictionary(
                s => s.Name, s => FusionWeights.ParseSkill(s.Name, s.Value, catalog), StringComparer.Ordinal)).ConfigureAwait(false);
        }
    }

    private static async Task<IResult> PutOne(HttpContext context, string skill, IFusionWeightsSource fusion, SkillCatalog catalog)
    {
        if (catalog.IndexOf(skill) < 0)
        {
            return SkillNotFound.Problem(context, skill, catalog);
        }

        var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth: 8, requireJsonMediaType: true, requireObject: true).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            var root = document.RootElement;
            if (!TryBasedOn(context, root, fusion, out long? basedOn, out var invalid))
            {
                return invalid;
            }

            var weights = root.TryGetProperty("weights", out var inner) ? inner : root;
            return await Apply(context, fusion, basedOn, () => new Dictionary<string, SkillWeights>(StringComparer.Ordinal)
            {
                [skill] = FusionWeights.ParseSkill(skill, Without(weights, "version"), catalog),
            }).ConfigureAwait(false);
        }
    }

    private static async Task<IResult> ListProposals(HttpContext context, IFusionProposalStore proposals) =>
        await ProposalsAsync(context, proposals, null).ConfigureAwait(false);

    /// <summary>The latest 20 proposals: the installation's, or a district's.</summary>
    public static async Task<IResult> ProposalsAsync(HttpContext context, IFusionProposalStore proposals, string? districtId) =>
        Results.Json(new FusionProposalsResponse(RequestIds.Of(context),
            [.. (await proposals.ListAsync(20, districtId, context.RequestAborted).ConfigureAwait(false)).Select(FusionProposalView.Of)]), JsonDefaults.Options);

    private static async Task<IResult> ApplyProposal(HttpContext context, long id, IFusionProposalStore proposals, IFusionWeightsSource fusion, DistrictFusionWeights districts,
        TimeProvider time) =>
        await ApplyAsync(context, id, proposals, fusion, districts, time, null, weights => Document(context, fusion)).ConfigureAwait(false);

    /// <summary>Applies a proposal of the installation (or of <paramref name="districtId"/> when given) and answers with <paramref name="applied"/>'s view, or the refusal.</summary>
    public static async Task<IResult> ApplyAsync(HttpContext context, long id, IFusionProposalStore proposals, IFusionWeightsSource fusion, DistrictFusionWeights districts,
        TimeProvider time, string? districtId, Func<FusionWeights, IResult> applied)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var (outcome, weights) = await FusionProposalApplication.ApplyAsync(proposals, fusion, districts, id, Actors.Of(context), time.GetUtcNow().UtcDateTime, districtId,
            context.RequestAborted).ConfigureAwait(false);
        return outcome switch
        {
            FusionProposalApplication.Outcome.Applied => applied(weights!),
            FusionProposalApplication.Outcome.NotFound => Problems.Of(context, 404, "proposal_not_found", $"no fusion proposal has the id {id}"),
            FusionProposalApplication.Outcome.AlreadyApplied => Problems.Of(context, 409, "proposal_applied", $"proposal {id} was applied already"),
            FusionProposalApplication.Outcome.NothingToApply => Problems.Of(context, 422, "nothing_to_apply", $"proposal {id} keeps every skill's weights"),
            FusionProposalApplication.Outcome.Invalid => Problems.Of(context, 422, "invalid_weights", $"proposal {id} names weights the skills in force do not take; fit again"),
            _ => Problems.Of(context, 409, "version_conflict", $"the weights changed since proposal {id} was fitted; fit again with `skillscope fusion fit`"),
        };
    }

    private static async Task<IResult> Reload(HttpContext context, IFusionWeightsSource fusion)
    {
        try
        {
            await fusion.ReloadAsync(Actors.Of(context), context.RequestAborted).ConfigureAwait(false);
            return Document(context, fusion);
        }
        catch (FusionWeightsException exception)
        {
            return Problems.Of(context, 422, exception.Code, $"{fusion.Location} was not applied: {exception.Message}; version {fusion.Current.Version} stays in force");
        }
    }

    private static async Task<IResult> Apply(HttpContext context, IFusionWeightsSource fusion, long? basedOn, Func<Dictionary<string, SkillWeights>> read)
    {
        try
        {
            var changes = read();
            await fusion.UpdateAsync(changes, Actors.Of(context), basedOn, context.RequestAborted).ConfigureAwait(false);
            return Document(context, fusion);
        }
        catch (FusionWeightsException exception) when (exception.Code == "version_conflict")
        {
            return Problems.Of(context, 409, exception.Code, $"{exception.Message}; read them again and retry");
        }
        catch (FusionWeightsException exception)
        {
            return Problems.Of(context, 422, exception.Code, $"{exception.Message}; nothing was changed (version {fusion.Current.Version} stays in force)");
        }
    }

    /// <summary>
    /// An update may name the version it was based on; the weights source refuses it if they moved on
    /// since (checked against the stored newest version, not this process's copy, which may lag another replica's save).
    /// </summary>
    private static bool TryBasedOn(HttpContext context, JsonElement root, IFusionWeightsSource fusion, out long? basedOn, out IResult invalid)
    {
        invalid = Results.Empty;
        if (!BasedOnVersion.TryRead(root, out basedOn))
        {
            invalid = Problems.Of(context, 409, "version_conflict", $"the weights are at version {fusion.Current.Version}, not {root.GetProperty("version").GetRawText()}; read them again and retry");
            return false;
        }

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

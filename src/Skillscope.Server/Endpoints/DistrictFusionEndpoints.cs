using System.Text.Json;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Skills;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// <c>GET/PUT/DELETE /api/v1/districts/{district}/fusion/weights</c>: a district's own fusion weights, in place of the
/// installation's for its students' assessments. That district's admin (or an admin bound to no district) reads and
/// changes them; another district's admin finds no such district.
/// </summary>
internal static class DistrictFusionEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var weights = app.MapGroup("/api/v1/districts/{district}/fusion/weights").RequireAuthorization(Roles.WebhooksPolicy).WithTags("Fusion weights");
        weights.MapGet("", Get).Answers<DistrictWeightsResponse>("A district's fusion weights: its own, or the installation's it falls back to (own: false)")
            .Refuses(404, "district_not_found");
        weights.MapPut("", Put)
            .Takes<FusionWeightsBody>("""{"version": 0, "skills": {"empathy": {"ml": 0.5, "linguistic": 0.1, "behavioral": 0.3, "confidence": 0.1}}}""")
            .Answers<DistrictWeightsResponse>("Change a district's weights (any subset of skills; the first change starts from the installation's): validated, versioned per district, audited")
            .Refuses(400, "invalid_request").Refuses(404, "district_not_found").Refuses(409, "version_conflict").Refuses(422, "invalid_weights", "unknown_skill", "weights_missing");
        weights.MapDelete("", Remove).WithSummary("Send a district back to the installation's weights (audited; ?version=N: only over that version)").Produces(204)
            .Refuses(404, "district_not_found", "no_district_weights").Refuses(409, "version_conflict");

        var proposals = app.MapGroup("/api/v1/districts/{district}/fusion/proposals").RequireAuthorization(Roles.WebhooksPolicy).WithTags("Fusion weights");
        proposals.MapGet("", ListProposals)
            .Answers<FusionProposalsResponse>("A district's weights fitted to its own teachers' ratings (skillscope fusion fit --district), newest first")
            .Refuses(404, "district_not_found");
        proposals.MapPost("/{id:long}/apply", ApplyProposal)
            .Answers<DistrictWeightsResponse>("Apply a district's proposal: its skills' weights become the district's next version, if the version it was fitted over is still in force")
            .Refuses(404, "district_not_found", "proposal_not_found").Refuses(409, "proposal_applied", "version_conflict").Refuses(422, "nothing_to_apply", "invalid_weights");
    }

    private static async Task<IResult> Get(HttpContext context, string district, DistrictFusionWeights districts, IFusionWeightsSource fusion, IRosterDirectory roster) =>
        await DistrictAccess.MissingAsync(context, district, roster).ConfigureAwait(false) ?? View(context, district, districts, fusion);

    private static Task<IResult> Put(HttpContext context, string district, DistrictFusionWeights districts, IFusionWeightsSource fusion, IRosterDirectory roster,
        SkillCatalog catalog) =>
        DistrictAccess.ChangeAsync(context, district, roster, maxDepth: 8, "weights", async (root, basedOn) =>
        {
            if (!root.TryGetProperty("skills", out var skills) || skills.ValueKind != JsonValueKind.Object)
            {
                return Problems.Of(context, 400, "invalid_request", "send {\"version\": N?, \"skills\": {\"empathy\": {\"ml\": 0.5, \"linguistic\": 0.1, \"behavioral\": 0.3, \"confidence\": 0.1}, …}}");
            }

            try
            {
                var changes = skills.EnumerateObject().ToDictionary(s => s.Name, s => FusionWeights.ParseSkill(s.Name, s.Value, catalog), StringComparer.Ordinal);
                await districts.UpdateAsync(district, changes, fusion.Current, Actors.Of(context), basedOn, context.RequestAborted).ConfigureAwait(false);
            }
            catch (FusionWeightsException exception)
            {
                return DistrictAccess.Refused(context, exception.Code, exception.Message);
            }

            return View(context, district, districts, fusion);
        });

    private static Task<IResult> Remove(HttpContext context, string district, long? version, DistrictFusionWeights districts, IRosterDirectory roster, TimeProvider time) =>
        DistrictAccess.RemoveAsync(context, district, version, districts, roster, time, "no_district_weights", "weights");

    private static async Task<IResult> ListProposals(HttpContext context, string district, IFusionProposalStore proposals, IRosterDirectory roster) =>
        await DistrictAccess.MissingAsync(context, district, roster).ConfigureAwait(false)
        ?? await FusionEndpoints.ProposalsAsync(context, proposals, district).ConfigureAwait(false);

    private static async Task<IResult> ApplyProposal(HttpContext context, string district, long id, IFusionProposalStore proposals, DistrictFusionWeights districts,
        IFusionWeightsSource fusion, IRosterDirectory roster, TimeProvider time) =>
        await DistrictAccess.MissingAsync(context, district, roster).ConfigureAwait(false)
        ?? await FusionEndpoints.ApplyAsync(context, id, proposals, fusion, districts, time, district, _ => View(context, district, districts, fusion)).ConfigureAwait(false);

    private static IResult View(HttpContext context, string district, DistrictFusionWeights districts, IFusionWeightsSource fusion)
    {
        var own = districts.For(district);
        var weights = own ?? fusion.Current;
        return Results.Json(new DistrictWeightsResponse(RequestIds.Of(context), district, own is not null, weights.Version, weights.UpdatedAt, weights.UpdatedBy,
            weights.Skills.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => new WeightsView(s.Value.Ml, s.Value.Linguistic, s.Value.Behavioral, s.Value.Confidence)),
            districts.VersionOf(district)),
            JsonDefaults.Options);
    }
}

using System.Text.Json;
using Microsoft.Extensions.Options;
using Skillscope.Assessment.Reasoning;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Settings;
using Skillscope.Server.Hosting;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// <c>GET/PUT/DELETE /api/v1/districts/{district}/settings</c>: a district's own band thresholds, transcript retention and
/// LLM use, each in place of the installation's. That district's admin (or an admin bound to no district) reads and
/// changes them; another district's admin finds no such district.
/// </summary>
internal static class DistrictSettingsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/v1/districts/{district}/settings").RequireAuthorization(Roles.WebhooksPolicy).WithTags("District settings");
        settings.MapGet("", Get).Answers<DistrictSettingsResponse>("A district's own settings (bands, transcript retention, LLM use) and those in force for its students")
            .Refuses(404, "district_not_found");
        settings.MapPut("", Put)
            .Takes<DistrictSettingsBody>("""{"version": 0, "bands": {"strength_at": 0.7, "growth_below": 0.35}, "transcript_days": 30, "llm": true, "llm_feedback_per_day": 500}""")
            .Answers<DistrictSettingsResponse>("Set a district's settings in full (one left out falls back to the installation's): validated, versioned per district, audited")
            .Refuses(400, "invalid_request").Refuses(404, "district_not_found").Refuses(409, "version_conflict").Refuses(422, "invalid_settings");
        settings.MapDelete("", Remove).WithSummary("Send a district back to the installation's settings (audited; ?version=N: only over that version)").Produces(204)
            .Refuses(404, "district_not_found", "no_district_settings").Refuses(409, "version_conflict");
    }

    private static async Task<IResult> Get(HttpContext context, string district, DistrictSettingsBook districts, IRosterDirectory roster, IOptions<RetentionOptions> retention,
        LlmFeedbackWriter llm) =>
        await DistrictAccess.MissingAsync(context, district, roster).ConfigureAwait(false) ?? View(context, district, districts, retention.Value, llm);

    private static Task<IResult> Put(HttpContext context, string district, DistrictSettingsBook districts, IRosterDirectory roster, IOptions<RetentionOptions> retention,
        LlmFeedbackWriter llm, TimeProvider time) =>
        DistrictAccess.ChangeAsync(context, district, roster, maxDepth: 4, "settings", async (root, basedOn) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            try
            {
                await districts.UpdateAsync(district, DistrictSettings.Read(root, 0, now, Actors.Of(context)), Actors.Of(context), basedOn, now, context.RequestAborted)
                    .ConfigureAwait(false);
            }
            catch (DistrictSettingsException exception)
            {
                return DistrictAccess.Refused(context, exception.Code, exception.Message);
            }

            return View(context, district, districts, retention.Value, llm);
        });

    private static Task<IResult> Remove(HttpContext context, string district, long? version, DistrictSettingsBook districts, IRosterDirectory roster, TimeProvider time) =>
        DistrictAccess.RemoveAsync(context, district, version, districts, roster, time, "no_district_settings", "settings");

    private static IResult View(HttpContext context, string district, DistrictSettingsBook districts, RetentionOptions retention, LlmFeedbackWriter llm)
    {
        var own = districts.For(district);
        var inForce = districts.InForce(district, retention.TranscriptDays, llm.Options.DisabledReason is null);
        var set = new DistrictSettingsBody(null, own?.Bands is { } b ? new BandsView(b.StrengthAt, b.GrowthBelow) : null, own?.TranscriptDays, own?.Llm, own?.LlmFeedbackPerDay);
        var view = new SettingsInForceView(new BandsView(inForce.Bands.StrengthAt, inForce.Bands.GrowthBelow), inForce.TranscriptDays, inForce.Llm, inForce.LlmFeedbackPerDay);
        return Results.Json(new DistrictSettingsResponse(RequestIds.Of(context), district, districts.VersionOf(district), own?.UpdatedAt, own?.UpdatedBy, set, view),
            JsonDefaults.Options);
    }
}

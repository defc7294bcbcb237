using Skillscope.Assessment.Cohorts;
using Skillscope.Assessment.Settings;
using Skillscope.Assessment.Skills;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// Cohorts compared from aggregates, for admins and analysts: per grade, school or term, the number of
/// students and per skill the mean, the band shares and the distribution. No student is named, and nothing
/// of fewer than 10 students is shown (see <see cref="CohortComparison"/>).
/// </summary>
internal static class CohortEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/cohorts", AnswerAsync).RequireAuthorization(Roles.CohortsPolicy).WithTags("Cohorts")
            .Answers<CohortsResponse>("Cohorts side by side (by: grade, school or term): per group its size and per skill the mean, the band shares and the students per tenth of the scale; groups of fewer than 10 students are suppressed")
            .Refuses(StatusCodes.Status400BadRequest, "invalid_dimension");
    }

    private static async Task<IResult> AnswerAsync(HttpContext context, string? by, ICohortStats stats, SkillCatalog catalog, DistrictSettingsBook districts, IAuditLog audit,
        TimeProvider time)
    {
        if (CohortDimensions.Parse(by) is not { } dimension)
        {
            return Problems.Of(context, StatusCodes.Status400BadRequest, "invalid_dimension", $"by must be {CohortDimensions.Names}, not \"{by}\"");
        }

        var comparison = await CohortComparison.ReadAsync(stats, dimension, ScopeClaims.Of(context.User), catalog.Skills, districts.DistrictBands(), context.RequestAborted).ConfigureAwait(false);
        await AccessAudit.RecordAsync(audit, time, Actors.Of(context), "cohorts.viewed", dimension.Name(), context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new CohortsResponse(RequestIds.Of(context), dimension.Name(), CohortComparison.MinimumGroup, comparison.Groups), JsonDefaults.Options);
    }
}

/// <summary>The cohorts compared, with the smallest group whose figures are shown.</summary>
internal sealed record CohortsResponse(string RequestId, string By, int MinimumGroup, IReadOnlyList<CohortGroup> Groups);

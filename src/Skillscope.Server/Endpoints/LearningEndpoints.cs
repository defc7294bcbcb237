using Skillscope.Assessment.Training;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary><c>GET /api/v1/retrain/runs</c>: the retraining runs (scheduled or by hand) with their champion/challenger reports.</summary>
internal static class LearningEndpoints
{
    private const int MaxRuns = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/retrain/runs", List).RequireAuthorization(Roles.AdminPolicy).WithTags("Models")
            .Answers<RetrainRunsResponse>("Retraining runs, newest first (limit, 20 by default, up to 100): each skill's challenger against its champion on held-out students, and what was decided")
            .Refuses(400, "invalid_limit");
    }

    private static async Task<IResult> List(HttpContext context, int? limit, IRetrainRuns runs)
    {
        if (limit is < 1 or > MaxRuns)
        {
            return Problems.Of(context, 400, "invalid_limit", $"limit must be between 1 and {MaxRuns}, not {limit}");
        }

        var found = await runs.ListAsync(limit ?? 20, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new RetrainRunsResponse(RequestIds.Of(context), [.. found.Select(RetrainRunView.Of)]), JsonDefaults.Options);
    }
}

using Skillscope.Assessment.Training;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Http;
using Skillscope.Server.Learning;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// <c>GET /api/v1/retrain/runs</c>: the retraining runs (scheduled or by hand) with their champion/challenger reports;
/// <c>GET /api/v1/retrain/rollouts</c> and <c>POST …/rollouts/{model}/approve</c>: each challenger's way from the shadow to production.
/// </summary>
internal static class LearningEndpoints
{
    private const int MaxRuns = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/retrain/runs", List).RequireAuthorization(Roles.AdminPolicy).WithTags("Models")
            .Answers<RetrainRunsResponse>("Retraining runs, newest first (limit, 20 by default, up to 100): each skill's challenger against its champion on held-out students, and what was decided")
            .Refuses(400, "invalid_limit");
        app.MapGet("/api/v1/retrain/rollouts", Rollouts).RequireAuthorization(Roles.AdminPolicy).WithTags("Models")
            .Answers<RolloutsResponse>("Each model's latest rollout: its challenger, champion, stage (shadow, canary, awaiting_approval, promoted, stopped), since when and why");
        app.MapPost("/api/v1/retrain/rollouts/{model}/approve", Approve).RequireAuthorization(Roles.AdminPolicy).WithTags("Models")
            .Answers<RolloutsResponse>("Approve a ready challenger (Training:RequireApproval): its canary split is cleared and it is promoted, audited")
            .Refuses(409, "not_awaiting_approval", "version_not_found", "alias_changed");
    }

    private static async Task<IResult> Rollouts(HttpContext context, IRolloutStore rollouts) =>
        Results.Json(new RolloutsResponse(RequestIds.Of(context), await rollouts.ListRolloutsAsync(context.RequestAborted).ConfigureAwait(false)), JsonDefaults.Options);

    private static async Task<IResult> Approve(HttpContext context, string model, RolloutAdvancer advancer, IRolloutStore rollouts, Scoring.Serving.ModelHost host)
    {
        try
        {
            if (await advancer.ApproveAsync(model, Actors.Of(context), context.RequestAborted).ConfigureAwait(false) is null)
            {
                return Problems.Of(context, 409, "not_awaiting_approval",
                    $"model \"{model}\" has no challenger awaiting approval, or its canary or production changed meanwhile (GET /api/v1/retrain/rollouts shows each model's stage and why)");
            }
        }
        catch (RegistryException exception)
        {
            return Problems.Of(context, 409, exception.Code, exception.Message);
        }

        await host.RefreshAsync(cancellation: context.RequestAborted).ConfigureAwait(false);
        return await Rollouts(context, rollouts).ConfigureAwait(false);
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

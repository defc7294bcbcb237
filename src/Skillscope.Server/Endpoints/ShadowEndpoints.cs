using System.Text.Json;
using Microsoft.Extensions.Options;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Hosting;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// <c>PUT/DELETE /api/v1/models/{name}/shadow</c> and <c>GET …/shadow/report</c>: a candidate scores the
/// same rows as what is served, after the answer and never answered, and the report compares them.
/// </summary>
internal static class ShadowEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/api/v1/models").RequireAuthorization(Roles.AdminPolicy).WithTags("Model registry");
        models.MapPut("/{name}/shadow", Start).TakesAnyMediaType<ShadowRequest>("""{"version": "1.1.0", "percent": 100, "cuts": [0.5]}""")
            .Answers<ShadowView>("Score a candidate version on the same rows as what is served (after the answer; its answers are never returned, its failures never fail a request)")
            .Refuses(400, "invalid_request", "invalid_shadow").Refuses(404, "version_not_found");
        models.MapDelete("/{name}/shadow", Stop).WithSummary("Stop the model's shadow").Produces(204).Refuses(404, "no_shadow");
        models.MapGet("/{name}/shadow/report", Report)
            .Answers<ShadowReportResponse>("How the shadow candidate compared with what served over a window (24h by default; hours or days, up to 90d)")
            .Refuses(400, "invalid_window").Refuses(404, "model_not_found", "no_shadow");
    }

    private static async Task<IResult> Start(HttpContext context, string name, ModelRegistry registry, ModelHost host)
    {
        var body = await ModelEndpoints.ReadObject(context).ConfigureAwait(false);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        const string Usage = "send {\"version\": \"1.1.0\", \"percent\": 100, \"cuts\": [0.5]} (percent and cuts optional)";
        if (body.String("version") is not { Length: > 0 } version)
        {
            return Problems.Of(context, 400, "invalid_request", Usage);
        }

        int percent = 100;
        if (body.Root.TryGetProperty("percent", out var percentElement) && !percentElement.TryGetInt32(out percent))
        {
            return Problems.Of(context, 400, "invalid_shadow", "percent must be a whole number from 1 to 100");
        }

        var cuts = new List<double>();
        if (body.Root.TryGetProperty("cuts", out var cutsElement))
        {
            if (cutsElement.ValueKind != JsonValueKind.Array || cutsElement.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.Number))
            {
                return Problems.Of(context, 400, "invalid_shadow", "cuts must be an array of numbers in ascending order");
            }

            cuts.AddRange(cutsElement.EnumerateArray().Select(c => c.GetDouble()));
        }

        return await ModelEndpoints.Run(context, host, async () =>
        {
            var shadow = await registry.ShadowAsync(name, version, percent, cuts, Actors.Of(context), context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new ShadowView(shadow.Name, shadow.Version, shadow.Percent, shadow.Cuts), JsonDefaults.Options);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> Stop(HttpContext context, string name, ModelRegistry registry, ModelHost host) =>
        await ModelEndpoints.Run(context, host, async () =>
            await registry.StopShadowAsync(name, Actors.Of(context), context.RequestAborted).ConfigureAwait(false)
                ? Results.NoContent()
                : Problems.Of(context, 404, "no_shadow", $"{name} has no shadow")).ConfigureAwait(false);

    private static async Task<IResult> Report(HttpContext context, string name, string? window, IRegistryStore store, ModelMonitor monitor, ModelHost host,
        IOptions<MonitoringOptions> options)
    {
        var cancellation = context.RequestAborted;
        string windowText = string.IsNullOrWhiteSpace(window) ? "24h" : window.Trim();
        if (AlertWindow.Parse(windowText) is not { } span || span.Ticks % TimeSpan.TicksPerHour != 0)
        {
            return Problems.Of(context, 400, "invalid_window", $"window \"{windowText}\" is not a number of hours or days such as 24h or 7d (at most 90d)");
        }

        if ((await store.ListVersionsAsync(name, cancellation).ConfigureAwait(false)).Count == 0)
        {
            return Problems.Of(context, 404, "model_not_found", $"no model named \"{name}\"");
        }

        if ((await store.ListShadowsAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(s => s.Name == name) is not { } shadow)
        {
            return Problems.Of(context, 404, "no_shadow", $"{name} has no shadow; start one with PUT /api/v1/models/{name}/shadow");
        }

        int width = host.Catalog.Models.TryGetValue(name, out var served) && served.Shadow is { } target ? target.Candidate.Scorer.OutputWidth : 1;
        var to = monitor.Now;
        var comparisons = await monitor.ShadowAsync(name, shadow.Version, span, width, cancellation).ConfigureAwait(false);
        var (thresholds, perVariable) = options.Value.ThresholdsFor(name);
        var drift = new List<VersionDriftView>();
        foreach (var (version, role) in comparisons.Select(c => (c.Served, "served")).Append((shadow.Version, "candidate")))
        {
            if (await monitor.DriftAsync(name, version, span, thresholds, perVariable, cancellation).ConfigureAwait(false) is { } report)
            {
                var worst = report.Features.Concat(report.Score is { } score ? [score] : []).OrderByDescending(v => v.PsiExcess).Take(3).ToArray();
                drift.Add(new VersionDriftView(version, role, report.Status, report.LiveRows, worst));
            }
            else
            {
                drift.Add(new VersionDriftView(version, role, DriftEndpoints.BuildingReference, 0, []));
            }
        }

        var since = ModelMonitor.WindowStart(to, span, TimeSpan.FromHours(1));
        return Results.Json(new ShadowReportResponse(RequestIds.Of(context), name, shadow.Version, shadow.Percent, shadow.Cuts, windowText, since, to, comparisons, drift),
            JsonDefaults.Options);
    }
}

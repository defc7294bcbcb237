using Skillscope.Assessment.Reasoning;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Alerting;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>Liveness (the process answers), readiness (this replica's models are warm) and the details behind them (database included).</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health");
        health.MapGet("/live", () => Results.Json(new HealthStatus("ok"), JsonDefaults.Options)).Answers<HealthStatus>("Whether the process answers (for liveness probes)");
        // Whether this replica can serve (its models are loaded), not whether a dependency every replica
        // shares is up: a database blip must not take every replica out of a load balancer at once while
        // scoring still works. The database's state is in /health/detailed and in the answers that need it.
        health.MapGet("/ready", (ModelHost host) =>
            Results.Json(new HealthStatus(host.Ready ? "ready" : "not_ready", host.Ready), JsonDefaults.Options, statusCode: host.Ready ? 200 : 503))
            .Answers<HealthStatus>("Whether this replica has loaded its models and can serve (for readiness probes)").Produces<HealthStatus>(503);
        // Anyone (a monitor, a load balancer) learns whether this replica and its dependencies are well; what
        // is served, where the LLM is, and memory are for keys that read the whole system.
        health.MapGet("/detailed", async (HttpContext context, ModelHost host, IRegistryStore store, LlmFeedbackWriter llm, AlertBoard alerts, CancellationToken cancellation) =>
        {
            bool database = await store.PingAsync(cancellation).ConfigureAwait(false);
            var catalog = host.Catalog;
            var firing = alerts.Firing;
            string status = host.Ready && database ? (catalog.Failures.Count == 0 && llm.Status != "degraded" && firing.Count == 0 ? "ok" : "degraded") : "not_ready";
            bool system = (context.User.IsInRole(Roles.Admin) || context.User.IsInRole(Roles.Service)) && ScopeClaims.IsUnbound(context.User);
            if (!system)
            {
                return Results.Json(new HealthDetail(status, new DatabaseHealth(database ? "ok" : "unreachable"), new LlmHealth(llm.Status), new AlertsHealth(firing.Count)),
                    JsonDefaults.Options);
            }

            bool enabled = llm.Options.DisabledReason is null;
            return Results.Json(new HealthDetail(
                status,
                new DatabaseHealth(database ? "ok" : "unreachable", store.Kind),
                new LlmHealth(
                    llm.Status,
                    llm.Options.Mode.ToString().ToLowerInvariant(),
                    llm.Options.DisabledReason,
                    enabled ? llm.Options.Model : null,
                    enabled ? (llm.ExactTokenCounts ? "counted" : "estimated") : null,
                    enabled ? (llm.Options.Endpoint?.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) ?? "https://api.openai.com/v1") : null,
                    llm.Metrics.WrittenCount,
                    llm.Metrics.FallbackCount,
                    Math.Round(llm.Metrics.CacheHitRate, 4)),
                new AlertsHealth(firing.Count, [.. firing.Select(a => $"{a.RuleId}: {a.Subject}")]),
                catalog.Revision,
                Memory(),
                catalog.Models.Values.Select(m => new ServedModelView(
                    m.Name, m.Aliases.ToDictionary(a => a.Key, a => a.Value.Version), m.Versions.Keys.Order(StringComparer.Ordinal).ToArray(),
                    m.Split?.Shares.ToDictionary(s => s.Version, s => s.Percent))).ToArray(),
                catalog.Failures), JsonDefaults.Options);
        }).Answers<HealthDetail>("Database, LLM, alert and model status (degraded while an alert fires); with an admin or service key also what is served, which alerts fire, the LLM's settings and memory");
    }

    /// <summary>Where the process's memory is, in MiB: resident, the managed heap after the last collection, and what the collector holds committed.</summary>
    private static MemoryUse Memory()
    {
        var gc = GC.GetGCMemoryInfo();
        const double MiB = 1024 * 1024;
        return new MemoryUse(
            Math.Round(Environment.WorkingSet / MiB, 1),
            Math.Round(gc.HeapSizeBytes / MiB, 1),
            Math.Round(gc.TotalCommittedBytes / MiB, 1),
            Math.Round(gc.FragmentedBytes / MiB, 1));
    }
}

using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Hosting;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>Liveness (the process answers), readiness (this replica's models are warm) and the details behind them (database included).</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Json(new { status = "ok" }));
        // Whether this replica can serve (its models are loaded), not whether a dependency every replica
        // shares is up: a database blip must not take every replica out of a load balancer at once while
        // scoring still works. The database's state is in /health/detailed and in the answers that need it.
        app.MapGet("/health/ready", (ModelHost host) =>
            Results.Json(new { status = host.Ready ? "ready" : "not_ready", models = host.Ready }, statusCode: host.Ready ? 200 : 503));
        // Anyone (a monitor, a load balancer) learns whether this replica and its dependencies are well; what
        // is served, where the LLM is, and memory are for keys that read the whole system.
        app.MapGet("/health/detailed", async (HttpContext context, ModelHost host, IRegistryStore store, AssessmentServices services, CancellationToken cancellation) =>
        {
            bool database = await store.PingAsync(cancellation).ConfigureAwait(false);
            var catalog = host.Catalog;
            var llm = services.Feedback;
            string status = host.Ready && database ? (catalog.Failures.Count == 0 && llm.Status != "degraded" ? "ok" : "degraded") : "not_ready";
            bool system = (context.User.IsInRole(Roles.Admin) || context.User.IsInRole(Roles.Service)) && ScopeClaims.IsUnbound(context.User);
            if (!system)
            {
                return Results.Json(new { status, database = new { status = database ? "ok" : "unreachable" }, llm = new { status = llm.Status } }, JsonDefaults.Options);
            }

            return Results.Json(new
            {
                status,
                database = new { kind = store.Kind, status = database ? "ok" : "unreachable" },
                llm = new
                {
                    status = llm.Status,
                    mode = llm.Options.Mode.ToString().ToLowerInvariant(),
                    reason = llm.Options.DisabledReason,
                    model = llm.Options.DisabledReason is null ? llm.Options.Model : null,
                    prompt_tokens = llm.Options.DisabledReason is null ? (llm.ExactTokenCounts ? "counted" : "estimated") : null,
                    endpoint = llm.Options.DisabledReason is null ? (llm.Options.Endpoint?.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) ?? "https://api.openai.com/v1") : null,
                    written = llm.Metrics.WrittenCount,
                    fallbacks = llm.Metrics.FallbackCount,
                    cache_hit_rate = Math.Round(llm.Metrics.CacheHitRate, 4),
                },
                registry_revision = catalog.Revision,
                memory = MemoryUse(),
                models = catalog.Models.Values.Select(m => new
                {
                    name = m.Name,
                    aliases = m.Aliases.ToDictionary(a => a.Key, a => a.Value.Version),
                    loaded_versions = m.Versions.Keys.Order(StringComparer.Ordinal).ToArray(),
                    split = m.Split?.Shares.ToDictionary(s => s.Version, s => s.Percent),
                }).ToArray(),
                failures = catalog.Failures,
            }, JsonDefaults.Options);
        });
    }

    /// <summary>Where the process's memory is, in MiB: resident, the managed heap after the last collection, and what the collector holds committed.</summary>
    private static object MemoryUse()
    {
        var gc = GC.GetGCMemoryInfo();
        const double MiB = 1024 * 1024;
        return new
        {
            resident_mib = Math.Round(Environment.WorkingSet / MiB, 1),
            managed_heap_mib = Math.Round(gc.HeapSizeBytes / MiB, 1),
            gc_committed_mib = Math.Round(gc.TotalCommittedBytes / MiB, 1),
            gc_fragmented_mib = Math.Round(gc.FragmentedBytes / MiB, 1),
        };
    }
}

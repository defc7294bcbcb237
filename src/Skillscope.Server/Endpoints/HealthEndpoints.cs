using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Server.Http;

namespace Skillscope.Server.Endpoints;

/// <summary>Liveness (the process answers), readiness (models warm, database reachable) and the details behind them.</summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => Results.Json(new { status = "ok" }));
        app.MapGet("/health/ready", async (ModelHost host, IRegistryStore store, CancellationToken cancellation) =>
        {
            bool database = await store.PingAsync(cancellation).ConfigureAwait(false);
            bool ready = host.Ready && database;
            return Results.Json(new { status = ready ? "ready" : "not_ready", models = host.Ready, database }, statusCode: ready ? 200 : 503);
        });
        app.MapGet("/health/detailed", async (ModelHost host, IRegistryStore store, CancellationToken cancellation) =>
        {
            bool database = await store.PingAsync(cancellation).ConfigureAwait(false);
            var catalog = host.Catalog;
            return Results.Json(new
            {
                status = host.Ready && database ? (catalog.Failures.Count == 0 ? "ok" : "degraded") : "not_ready",
                database = new { kind = store.Kind, status = database ? "ok" : "unreachable" },
                registry_revision = catalog.Revision,
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
}

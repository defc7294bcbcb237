using System.Diagnostics;
using Microsoft.Extensions.Options;
using Skillscope.Scoring.Monitoring;
using Skillscope.Server.Hosting;

namespace Skillscope.Server.Telemetry;

/// <summary>
/// Counts every request and times it, labelled by route template (never the raw path: ids would explode
/// the series) and by method — the standard ones by name, any other as <c>OTHER</c>, since a client can
/// send any word as its method and every new label would be a series kept for good.
/// </summary>
internal static class RequestMetrics
{
    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        long started = Stopwatch.GetTimestamp();
        bool threw = true;
        try
        {
            await next(context).ConfigureAwait(false);
            threw = false;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                && context.RequestServices.GetRequiredService<IOptions<MonitoringOptions>>().Value.Enabled)
            {
                // For error-rate and latency alerts, summed over every replica: API requests only (not health probes, scrapes or pages).
                context.RequestServices.GetRequiredService<ModelMonitor>().Requests.Record(elapsed, threw || context.Response.StatusCode >= 500);
            }

            var metrics = context.RequestServices.GetRequiredService<ServerMetrics>();
            string route = context.GetEndpoint() is RouteEndpoint endpoint ? metrics.RouteLabel(endpoint) : "unmatched";
            var routeTag = new KeyValuePair<string, object?>("route", route);
            metrics.Requests.Add(1, routeTag, new KeyValuePair<string, object?>("method", MethodLabel(context.Request.Method)),
                new KeyValuePair<string, object?>("status", context.Response.StatusCode));
            metrics.RequestDuration.Record(elapsed.TotalSeconds, routeTag);
        }
    }

    private static string MethodLabel(string method) =>
        HttpMethods.IsGet(method) ? HttpMethods.Get
        : HttpMethods.IsPost(method) ? HttpMethods.Post
        : HttpMethods.IsPut(method) ? HttpMethods.Put
        : HttpMethods.IsDelete(method) ? HttpMethods.Delete
        : HttpMethods.IsPatch(method) ? HttpMethods.Patch
        : HttpMethods.IsHead(method) ? HttpMethods.Head
        : HttpMethods.IsOptions(method) ? HttpMethods.Options
        : "OTHER";
}

using System.Diagnostics;

namespace Skillscope.Server.Metrics;

/// <summary>Counts every request and times it, labelled by route template (never the raw path: ids would explode the series).</summary>
internal static class RequestMetrics
{
    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            var metrics = context.RequestServices.GetRequiredService<ServerMetrics>();
            string route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            var routeTag = new KeyValuePair<string, object?>("route", route);
            metrics.Requests.Add(1, routeTag, new KeyValuePair<string, object?>("method", context.Request.Method),
                new KeyValuePair<string, object?>("status", context.Response.StatusCode));
            metrics.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, routeTag);
        }
    }
}

using System.Data.Common;

namespace Skillscope.Server.Http;

/// <summary>
/// A request that needed the database while it could not answer gets <c>503 database_unavailable</c>
/// with <c>Retry-After</c>: a condition of the moment, not a bug in the request. An outage is logged as
/// one warning line per request (no stack trace: a restart would otherwise bury the log in them); a
/// database error that is not transient is logged with its stack as the fault it is.
/// </summary>
internal static partial class DatabaseUnavailable
{
    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (DbException exception) when (!context.Response.HasStarted)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Skillscope.Database");
            if (exception.IsTransient)
            {
                LogUnavailable(logger, context.Request.Path.Value, exception.Message);
            }
            else
            {
                LogFailed(logger, exception, context.Request.Path.Value);
            }

            context.Response.Clear();
            context.Response.Headers.RetryAfter = "5";
            await Problems.Of(context, 503, "database_unavailable", "the database cannot be reached; retry shortly").ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "database unavailable on {Path}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string? path, string reason);

    [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "database error on {Path}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string? path);
}

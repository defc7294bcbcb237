using System.Data.Common;

namespace Skillscope.Server.Http;

/// <summary>
/// A request that needed the database while it could not answer gets <c>503 database_unavailable</c>
/// with <c>Retry-After</c>: a condition of the moment, not a bug in the request. An outage is logged as
/// one warning line per request (no stack trace: a restart would otherwise bury the log in them). A
/// value the database refuses (PostgreSQL's data exceptions) is the request's: 400 <c>invalid_value</c>.
/// Any other database error is a fault: 500, logged with its stack.
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
            context.Response.Clear();
            if (exception.IsTransient)
            {
                LogUnavailable(logger, context.Request.Path.Value, exception.Message);
                context.Response.Headers.RetryAfter = "5";
                await Problems.Of(context, 503, "database_unavailable", "the database cannot be reached; retry shortly").ExecuteAsync(context).ConfigureAwait(false);
            }
            else if (exception is Npgsql.PostgresException { SqlState: [ '2', '2', .. ] })
            {
                // A data exception (class 22: a NUL character in text, a value out of range): the request's
                // values, which retrying will not change.
                LogRefused(logger, context.Request.Path.Value, exception.Message);
                await Problems.Of(context, 400, "invalid_value", "a value in the request cannot be stored (for example a NUL character in text)").ExecuteAsync(context).ConfigureAwait(false);
            }
            else
            {
                LogFailed(logger, exception, context.Request.Path.Value);
                await Problems.Of(context, 500, "internal_error", "the server failed; the request id identifies it in the logs").ExecuteAsync(context).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "database unavailable on {Path}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string? path, string reason);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "database refused a value on {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string? path, string reason);

    [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "database error on {Path}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string? path);
}

namespace Skillscope.Server.Http;

/// <summary>The host's own log messages (no personal data: paths and ids only).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "unhandled error on {Path}")]
    public static partial void UnhandledError(ILogger logger, Exception? exception, string? path);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "API key usage could not be written ({Reason}); it is kept for the next try")]
    public static partial void KeyUsageKept(ILogger logger, string reason);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "API key usage of the last seconds was not written before the server stopped")]
    public static partial void KeyUsageLost(ILogger logger);
}

namespace Skillscope.Server.Http;

/// <summary>The host's own log messages (no personal data: paths and ids only).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "unhandled error on {Path}")]
    public static partial void UnhandledError(ILogger logger, Exception? exception, string? path);
}

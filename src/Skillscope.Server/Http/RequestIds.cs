using System.Text.RegularExpressions;

namespace Skillscope.Server.Http;

/// <summary>
/// <c>X-Request-Id</c>: taken from the caller when it is a sane token, otherwise generated; echoed on
/// the response and put in the logging scope, so every log line of the request carries it.
/// </summary>
internal static partial class RequestIds
{
    public const string Header = "X-Request-Id";

    public static string Of(HttpContext context) => context.Items[Header] as string ?? context.TraceIdentifier;

    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        string? given = context.Request.Headers[Header];
        string id = given is not null && TokenPattern().IsMatch(given) ? given : Guid.NewGuid().ToString("N");
        context.Items[Header] = id;
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Skillscope.Requests");
        using (RequestScope(logger, id))
        {
            await next(context).ConfigureAwait(false);
        }
    }

    private static readonly Func<ILogger, string, IDisposable?> RequestScope = LoggerMessage.DefineScope<string>("X-Request-Id {XRequestId}");

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,128}\z")]
    private static partial Regex TokenPattern();
}

namespace Skillscope.Server.Http;

/// <summary>RFC 7807 problem details with a stable machine-readable <c>code</c> and the request id.</summary>
internal static class Problems
{
    public static IResult Of(HttpContext context, int status, string code, string detail, IDictionary<string, object?>? extensions = null)
    {
        context.RequestServices.GetService<Telemetry.ServerMetrics>()?.Rejections.Add(1, new KeyValuePair<string, object?>("code", code));
        var all = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["code"] = code,
            ["request_id"] = RequestIds.Of(context),
        };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                all[key] = value;
            }
        }

        return Results.Problem(detail: detail, statusCode: status, title: Title(status), type: $"https://skillscope.dev/problems/{code}", extensions: all);
    }

    private static string Title(int status) => status switch
    {
        400 => "The request is not valid",
        401 => "Authentication required",
        403 => "Not allowed",
        404 => "Not found",
        409 => "Conflict",
        413 => "Request too large",
        415 => "Unsupported media type",
        422 => "The request could not be carried out",
        429 => "Too many requests",
        503 => "Unavailable for now",
        _ => "Request failed",
    };
}

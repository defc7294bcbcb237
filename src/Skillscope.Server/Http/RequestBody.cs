using System.Text.Json;

namespace Skillscope.Server.Http;

/// <summary>
/// Reads a request's JSON body for every endpoint alike: the media type (when required), the nesting
/// limit, malformed JSON and bodies over the size limit all become problem details with their codes.
/// </summary>
internal static class RequestBody
{
    /// <summary>The parsed body (the caller disposes it), or the problem to answer with.</summary>
    /// <param name="context">The request.</param>
    /// <param name="maxDepth">Deepest nesting accepted.</param>
    /// <param name="requireJsonMediaType">Refuse (415) a body not sent as <c>application/json</c>.</param>
    /// <param name="requireObject">Refuse (400) a body that is not a JSON object.</param>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadJsonAsync(HttpContext context, int maxDepth, bool requireJsonMediaType, bool requireObject)
    {
        if (requireJsonMediaType && (context.Request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Problems.Of(context, 415, "unsupported_media_type", "send the request as application/json"));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = maxDepth }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            return (null, Problems.Of(context, 400, "malformed_json", $"the body is not valid JSON: {exception.Message}"));
        }
        catch (BadHttpRequestException exception)
        {
            return (null, Unreadable(context, exception));
        }

        if (requireObject && document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, Problems.Of(context, 400, "invalid_request", "the body must be a JSON object"));
        }

        return (document, null);
    }

    /// <summary>A body Kestrel refused while it was read: 413 <c>body_too_large</c>, or the status it chose.</summary>
    public static IResult Unreadable(HttpContext context, BadHttpRequestException exception) =>
        Problems.Of(context, exception.StatusCode, exception.StatusCode == 413 ? "body_too_large" : "bad_request", exception.Message);
}

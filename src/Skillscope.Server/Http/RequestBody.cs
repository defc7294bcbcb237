using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Skillscope.Server.Http;

/// <summary>
/// Reads a request's JSON body for every endpoint alike: the media type (when required), the nesting
/// limit, malformed JSON and bodies over the size limit all become problem details with their codes.
/// </summary>
internal static class RequestBody
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

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
            // Read whole and checked as UTF-8 first: the JSON reader accepts invalid bytes inside strings
            // and only fails when a handler reads one ("Cannot transcode invalid UTF-8"), as a 500.
            var bytes = await PooledBody.ReadAsync(context).ConfigureAwait(false);
            if (!Utf8.IsValid(bytes.Span))
            {
                return (null, InvalidUtf8(context));
            }

            // A byte-order mark is allowed, as the stream parser allowed it.
            if (bytes.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                bytes = bytes[3..];
            }

            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = maxDepth });

            // An escaped half of a surrogate pair ("\ud800") parses, and fails only when a handler reads
            // the string: found here instead, by reading every string once (only when such an escape is there).
            if (HasSurrogateEscape(bytes.Span) && !StringsDecode(document.RootElement))
            {
                document.Dispose();
                return (null, Problems.Of(context, 400, "invalid_utf8", "the body holds an escaped half of a surrogate pair (\\ud800–\\udfff) that is no character"));
            }
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

    /// <summary>Whether the JSON text holds an escape in the surrogate range (<c>\\uD800</c>–<c>\\uDFFF</c>), paired or not.</summary>
    private static bool HasSurrogateEscape(ReadOnlySpan<byte> json)
    {
        int start = 0;
        while (json[start..].IndexOf("\\u"u8) is var found and >= 0)
        {
            int i = start + found;
            if (i + 3 < json.Length && (json[i + 2] | 0x20) == 'd' && (json[i + 3] | 0x20) is >= (byte)'8' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f')
            {
                return true;
            }

            start = i + 2;
        }

        return false;
    }

    private static bool StringsDecode(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        if (!StringsDecode(item))
                        {
                            return false;
                        }
                    }

                    return true;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (!StringsDecode(property.Value))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>400 <c>invalid_utf8</c>: the body's text is not UTF-8.</summary>
    public static IResult InvalidUtf8(HttpContext context) =>
        Problems.Of(context, 400, "invalid_utf8", "the body is not valid UTF-8 text; send it encoded as UTF-8");

    /// <summary>The body as strictly decoded UTF-8 text, or null (the caller answers <see cref="InvalidUtf8"/>) when it is not.</summary>
    public static async Task<string?> ReadUtf8TextAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, StrictUtf8);
        try
        {
            return await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>A body Kestrel refused while it was read: 413 <c>body_too_large</c>, or the status it chose.</summary>
    public static IResult Unreadable(HttpContext context, BadHttpRequestException exception) =>
        Problems.Of(context, exception.StatusCode, exception.StatusCode == 413 ? "body_too_large" : "bad_request", exception.Message);
}

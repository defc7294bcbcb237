namespace Skillscope.Server.Http;

/// <summary>
/// What an endpoint tells the OpenAPI document beyond its route: a summary, the answer's type, the
/// problem codes it may refuse with (per status), and examples. <see cref="OpenApiDescription"/> writes
/// the codes and examples into the document.
/// </summary>
internal static class EndpointDocumentation
{
    /// <summary>A summary and the JSON type of the successful answer.</summary>
    public static RouteHandlerBuilder Answers<TResponse>(this RouteHandlerBuilder builder, string summary, int status = StatusCodes.Status200OK, string? example = null)
    {
        builder.WithSummary(summary).Produces<TResponse>(status, "application/json");
        return example is null ? builder : builder.WithMetadata(new ResponseExample(status, example));
    }

    /// <summary>
    /// The JSON body the endpoint reads, an example of one, and how a body that cannot be read is refused
    /// (a body not sent as JSON or one of <paramref name="otherMediaTypes"/> with 415). Documentation only:
    /// handlers read their bodies themselves (one bad item fails alone, each refusal has its code), so
    /// routing must not match on the content type as <c>Accepts</c> would make it.
    /// </summary>
    public static RouteHandlerBuilder Takes<TRequest>(this RouteHandlerBuilder builder, string example, bool optional = false, params string[] otherMediaTypes) =>
        builder.TakesAnyMediaType<TRequest>(example, optional, otherMediaTypes)
            .Refuses(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type");

    /// <summary>As <see cref="Takes{TRequest}"/>, for a handler that reads its body as JSON whatever content type it was sent with (it never answers 415).</summary>
    public static RouteHandlerBuilder TakesAnyMediaType<TRequest>(this RouteHandlerBuilder builder, string example, bool optional = false, params string[] otherMediaTypes) =>
        builder.WithMetadata(new DocumentedBody(typeof(TRequest), example, optional, otherMediaTypes))
            .Refuses(StatusCodes.Status400BadRequest, "malformed_json", "invalid_utf8", "bad_request")
            .Refuses(StatusCodes.Status413PayloadTooLarge, "body_too_large");

    /// <summary>A problem-details answer with <paramref name="status"/>, and the <c>code</c>s it carries.</summary>
    public static RouteHandlerBuilder Refuses(this RouteHandlerBuilder builder, int status, params string[] codes) =>
        builder.ProducesProblem(status).WithMetadata(new ProblemCodes(status, codes));
}

/// <summary>Problem codes an endpoint answers with under one status.</summary>
internal sealed record ProblemCodes(int Status, IReadOnlyList<string> Codes);

/// <summary>A request body as the document shows it: its JSON type, an example, whether it may be left out, and other media types read.</summary>
internal sealed record DocumentedBody(Type Type, string Example, bool Optional, IReadOnlyList<string> OtherMediaTypes);

/// <summary>An example answer for one status, as JSON text.</summary>
internal sealed record ResponseExample(int Status, string Json);

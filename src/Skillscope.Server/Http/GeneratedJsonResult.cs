using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Skillscope.Server.Http;

/// <summary>
/// A 200 JSON answer written in one synchronous pass by the serialiser's generated code into a pooled
/// buffer, then sent. <c>Results.Json</c> streams instead, and for an answer larger than the serialiser's
/// buffer (a 100-student batch is about 170 KB) it leaves the generated code for the general converters,
/// which took a quarter of the server's time for that request; the answer is built in memory anyway.
/// Nothing is sent until the whole answer is written, so a value the writer refuses (a NaN) ends as the
/// error handler's clean 500, not as half an answer followed by a problem. The generated code runs only
/// for a context whose options set no encoder: the writer gets the API's (<see cref="JsonDefaults"/>),
/// so the escaping is the same as every other answer's.
/// </summary>
internal sealed class GeneratedJsonResult<T>(T value, JsonTypeInfo<T> typeInfo) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsonDefaults.Options.Encoder, SkipValidation = true }))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = buffer.Written.Length;
        await response.Body.WriteAsync(buffer.Written, httpContext.RequestAborted).ConfigureAwait(false);
    }
}

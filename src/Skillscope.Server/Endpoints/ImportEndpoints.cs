using System.Text;
using System.Text.Json;
using Skillscope.Assessment.Import;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// <c>POST /api/v1/import/{kind}</c>: roster or evidence rows as a JSON array, JSONL
/// (<c>application/x-ndjson</c>) or CSV (<c>text/csv</c>). Bad rows are reported by line (or item
/// number) while the good rows are stored; importing the same rows again changes nothing.
/// </summary>
internal static class ImportEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/import/{kind}", Import).RequireAuthorization(Roles.SystemPolicy).WithTags("Import")
            .Takes<JsonElement>("""[{"id": "s-0001", "class_id": "c-5a", "first_name": "Ada", "last_name": "Byron", "grade": "5"}]""", optional: false,
                "application/x-ndjson", "application/jsonl", "application/json-lines", "text/csv")
            .WithDescription($"`kind` is one of {ImportKinds.All}. Rows are a JSON array (or `{{\"rows\": […]}}`), JSONL, or CSV with a header; " +
                "each row is checked on its own, and rows already stored are counted as unchanged, not written twice.")
            .Answers<ImportResponse>("Import roster or evidence rows (students, classes, teachers, transcripts, game events, ratings)",
                example: """{"request_id": "0HN7…", "kind": "students", "rows": 2, "written": 1, "unchanged": 0, "rejected": 1, "errors": [{"line": 2, "message": "class_id is missing"}]}""")
            .Refuses(400, "invalid_request").Refuses(404, "import_kind_not_found").Refuses(422, "no_valid_rows");

    private static async Task<IResult> Import(HttpContext context, string kind, EvidenceImporter importer)
    {
        if (!ImportKinds.TryParse(kind, out var parsed))
        {
            return Problems.Of(context, 404, "import_kind_not_found", $"\"{kind}\" is not something to import; kinds: {ImportKinds.All}");
        }

        string type = context.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
        ImportResult result;
        try
        {
            if (type is "application/json")
            {
                var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth: 8, requireJsonMediaType: true, requireObject: false).ConfigureAwait(false);
                if (document is null)
                {
                    return problem!;
                }

                using (document)
                {
                    var root = document.RootElement;
                    var rows = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("rows", out var inner) ? inner : root;
                    if (rows.ValueKind != JsonValueKind.Array)
                    {
                        return Problems.Of(context, 400, "invalid_request", "send a JSON array of rows (or {\"rows\": […]}), JSONL as application/x-ndjson, or CSV as text/csv");
                    }

                    result = await importer.ImportJsonAsync(parsed, "request", rows, context.RequestAborted).ConfigureAwait(false);
                }
            }
            else if (type is "application/x-ndjson" or "application/jsonl" or "application/json-lines" or "text/csv")
            {
                if (await RequestBody.ReadUtf8TextAsync(context).ConfigureAwait(false) is not { } text)
                {
                    return RequestBody.InvalidUtf8(context);
                }

                result = await importer.ImportTextAsync(parsed, "request", text, jsonl: type != "text/csv", context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                return Problems.Of(context, 415, "unsupported_media_type", "send application/json (an array of rows), application/x-ndjson (JSONL) or text/csv");
            }
        }
        catch (BadHttpRequestException exception)
        {
            return RequestBody.Unreadable(context, exception);
        }

        if (result.Rows > 0 && result.Rejected == result.Rows)
        {
            return Problems.Of(context, 422, "no_valid_rows", $"none of the {result.Rows} rows could be imported; see \"errors\"",
                new Dictionary<string, object?> { ["errors"] = result.Errors });
        }

        return Results.Json(new ImportResponse(RequestIds.Of(context), result.Kind, result.Rows, result.Written, result.Unchanged, result.Rejected, result.Errors),
            JsonDefaults.Options);
    }
}

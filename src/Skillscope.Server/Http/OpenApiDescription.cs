using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Skillscope.Server.Http;

/// <summary>
/// What the OpenAPI document says beyond the routes: the API's name and purpose, and the bearer scheme its
/// API keys use, required on exactly the operations that need a key (health, sign-in and the CRM's health
/// do not), so a client generator knows how to call each one.
/// </summary>
internal static class OpenApiDescription
{
    public const string BearerScheme = "bearer";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Skillscope API",
                Version = "v1",
                Description = "Scoring of any registered gradient-boosted-tree model, and evidence-based assessment of students' " +
                    "social-emotional skills with explanations. Errors are problem details with a stable `code` and the `request_id`.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key made by `skillscope keys create` or `POST /api/v1/keys`: `Authorization: Bearer sk_…`.",
            };

            // The API leaves null members out of its answers, and reads a missing member as null: a member
            // that may be null is not required, at any depth (an array's items, a map's values).
            var seen = new HashSet<OpenApiSchema>(ReferenceEqualityComparer.Instance);
            foreach (var component in document.Components.Schemas?.Values ?? [])
            {
                OptionalWhenNullable(component, seen);
            }

            // A generated client appends paths to the server's address: no trailing slash to double.
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url?.TrimEnd('/');
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellation) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            operation.OperationId ??= OperationId(context.Description.HttpMethod, context.Description.RelativePath);
            var codes = metadata.OfType<ProblemCodes>().ToList();
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];

                // What every call with a key may meet, whatever the endpoint.
                codes.Add(new ProblemCodes(401, ["missing_api_key", "invalid_api_key", "expired_api_key"]));
                codes.Add(new ProblemCodes(403, ["forbidden"]));
                codes.Add(new ProblemCodes(429, ["rate_limited"]));
                codes.Add(new ProblemCodes(503, ["database_unavailable"]));
            }

            operation.Responses ??= [];
            foreach (var group in codes.GroupBy(c => c.Status))
            {
                string status = group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (!operation.Responses.TryGetValue(status, out var existing) || existing is not OpenApiResponse response)
                {
                    response = new OpenApiResponse { Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) } } };
                    operation.Responses[status] = response;
                }

                var all = group.SelectMany(c => c.Codes).Distinct(StringComparer.Ordinal).Select(c => $"`{c}`").ToList();
                response.Description = all.Count == 1 ? $"Problem details; `code` is {all[0]}." : $"Problem details; `code` is one of {string.Join(", ", all)}.";
            }

            if (metadata.OfType<DocumentedBody>().LastOrDefault() is { } request)
            {
                string name = request.Type.Name;
                var document = context.Document!;
                if (document.Components?.Schemas?.ContainsKey(name) != true)
                {
                    document.AddComponent(name, await context.GetOrCreateSchemaAsync(request.Type, null, cancellation).ConfigureAwait(false));
                }

                var content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(name, context.Document), Example = JsonNode.Parse(request.Example) },
                };
                foreach (string type in request.OtherMediaTypes)
                {
                    content[type] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                }

                operation.RequestBody = new OpenApiRequestBody { Required = !request.Optional, Content = content };
            }

            foreach (var example in metadata.OfType<ResponseExample>())
            {
                if (operation.Responses.TryGetValue(example.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var answer) && answer.Content is { } media)
                {
                    foreach (var type in media.Values)
                    {
                        type.Example = JsonNode.Parse(example.Json);
                    }
                }
            }
        });

        // Every problem answer carries its machine-readable code and the request id, beside RFC 9457's members.
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(Microsoft.AspNetCore.Mvc.ProblemDetails) || context.JsonTypeInfo.Type == typeof(HttpValidationProblemDetails))
            {
                schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
                schema.Properties["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable, machine-readable reason (the operation's responses list the codes)." };
                schema.Properties["request_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "This request's id, as in the X-Request-Id header and the logs." };
                schema.Properties["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Items = new OpenApiSchema { Type = JsonSchemaType.Object },
                    Description = "When nothing in the request could be done (`no_item_scored`, `no_skill_scored`, `no_valid_rows`): why, item by item.",
                };
                schema.Required ??= new HashSet<string>();
                schema.Required.Add("code");
                schema.Required.Add("request_id");
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// The document to read and try in a browser at <c>/docs</c> (Scalar): its script and styles come from
    /// this server; no fonts, telemetry or AI agent from elsewhere; requests go straight to this API.
    /// </summary>
    public static void MapBrowsableDocs(IEndpointRouteBuilder app) =>
        app.MapScalarApiReference(DocsPath, scalar => scalar
            .WithTitle("Skillscope API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddPreferredSecuritySchemes(BearerScheme)
            .WithNonce()
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools());

    /// <summary>Where the browsable documentation is.</summary>
    public const string DocsPath = "/docs";

    /// <summary>
    /// A stable name a client generator can give the operation's method: the verb and the path's words, its
    /// parameters as "By…" (POST /api/v1/models/{name}/promote → <c>postModelsByNamePromote</c>).
    /// </summary>
    internal static string OperationId(string? method, string? path)
    {
        var id = new System.Text.StringBuilder((method ?? "get").ToLowerInvariant());
        foreach (string segment in (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment is "api" or "v1" or "ai")
            {
                continue;
            }

            bool parameter = segment.StartsWith('{');
            if (parameter)
            {
                id.Append("By");
            }

            bool start = true;
            foreach (char c in segment)
            {
                if (!char.IsAsciiLetterOrDigit(c))
                {
                    start = true;
                    continue;
                }

                id.Append(start ? char.ToUpperInvariant(c) : c);
                start = false;
            }
        }

        return id.ToString();
    }

    private static void OptionalWhenNullable(IOpenApiSchema schema, HashSet<OpenApiSchema> seen)
    {
        if (schema is not OpenApiSchema inline || !seen.Add(inline))
        {
            return;
        }

        foreach (var (name, member) in inline.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (MayBeNull(member))
            {
                inline.Required?.Remove(name);
            }

            OptionalWhenNullable(member, seen);
        }

        foreach (var nested in (IEnumerable<IOpenApiSchema?>)[inline.Items, inline.AdditionalProperties, .. inline.OneOf ?? [], .. inline.AnyOf ?? [], .. inline.AllOf ?? []])
        {
            if (nested is not null)
            {
                OptionalWhenNullable(nested, seen);
            }
        }
    }

    private static bool MayBeNull(IOpenApiSchema schema) =>
        (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        || (schema.OneOf?.Any(MayBeNull) ?? false) || (schema.AnyOf?.Any(MayBeNull) ?? false);

    /// <summary>The component the problem answers refer to (the name ASP.NET Core gives <c>ProblemDetails</c>).</summary>
    private const string ProblemSchema = "ProblemDetails";
}

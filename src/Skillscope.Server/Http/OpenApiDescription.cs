using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

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
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            }

            return Task.CompletedTask;
        });
    }
}

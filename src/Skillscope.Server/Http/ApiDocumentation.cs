namespace Skillscope.Server.Http;

/// <summary>How the API describes itself: problem details, the framework's JSON as the API writes its own, and the OpenAPI document.</summary>
internal static class ApiDocumentation
{
    public static void AddApiDocumentation(this IServiceCollection services)
    {
        services.AddProblemDetails();

        // The framework's JSON (problem details, and the OpenAPI schemas' property names) as the API writes its own.
        // Numbers are numbers: no handler binds a body, so the schemas need not admit "12" for 12.
        services.ConfigureHttpJsonOptions(json => JsonDefaults.Apply(json.SerializerOptions).NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        services.AddOpenApi(OpenApiDescription.Configure);
    }
}

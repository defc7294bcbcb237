using System.Text.Json;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>The OpenAPI document names the API and says how to authenticate, on exactly the operations that need a key.</summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_document_names_the_api_and_requires_the_bearer_key_where_a_key_is_needed()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Crm:Enabled"] = "true" });
        using var document = JsonDocument.Parse(await server.Client().GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;
        Assert.StartsWith("3.1", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal(("Skillscope API", "v1"), (root.GetProperty("info").GetProperty("title").GetString(), root.GetProperty("info").GetProperty("version").GetString()));

        var bearer = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal(("http", "bearer"), (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString()));

        static bool Secured(JsonElement paths, string path, string method) =>
            paths.GetProperty(path).GetProperty(method).TryGetProperty("security", out var security)
            && security.EnumerateArray().Any(requirement => requirement.TryGetProperty("bearer", out _));

        var paths = root.GetProperty("paths");
        Assert.True(Secured(paths, "/api/v1/models/{name}/predict", "post"));
        Assert.True(Secured(paths, "/ai/advanced-ml/predict-batch", "post"));
        Assert.False(Secured(paths, "/health/live", "get"));
        Assert.False(Secured(paths, "/ai/advanced-ml/health", "get"));
    }
}

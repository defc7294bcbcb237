using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>
/// The OpenAPI document is a contract a client can be built from: it parses and validates as OpenAPI,
/// every API operation is summarised, tagged and typed, and a client that knows only the document calls
/// the API and gets answers the document describes.
/// </summary>
public sealed class OpenApiContractTests
{
    [Fact]
    public async Task The_document_validates_and_describes_every_operation()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Crm:Enabled"] = "true" });
        string json = await server.Client().GetStringAsync("/openapi/v1.json");

        var (document, diagnostic) = OpenApiDocument.Parse(json, "json");
        Assert.NotNull(document);
        Assert.Empty(diagnostic?.Errors ?? []);
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);

        var paths = JsonNode.Parse(json)!["paths"]!.AsObject();
        var undescribed = new List<string>();
        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, item) in paths)
        {
            foreach (var (method, node) in item!.AsObject())
            {
                var operation = node!.AsObject();
                string name = $"{method.ToUpperInvariant()} {path}";
                var responses = operation["responses"]!.AsObject();
                bool typed = responses.Any(r => r.Key.StartsWith('2') && r.Value?["content"]?.AsObject().Any(c => c.Value?["schema"] is not null) == true);
                bool secured = operation["security"] is JsonArray { Count: > 0 };
                if (operation["summary"] is null || operation["tags"] is not JsonArray { Count: > 0 })
                {
                    undescribed.Add(name + ": no summary or tag");
                }

                // A name a client generator can use for the method: present, an identifier, and unique.
                if (operation["operationId"]?.GetValue<string>() is not { } id || !System.Text.RegularExpressions.Regex.IsMatch(id, "^[a-z][A-Za-z0-9]*$") || !operationIds.Add(id))
                {
                    undescribed.Add(name + $": operationId \"{operation["operationId"]}\" missing, not an identifier, or taken");
                }

                // Every answer is typed but a revocation's (204) and the Prometheus text.
                if (!typed && path != "/metrics" && !responses.ContainsKey("204"))
                {
                    undescribed.Add(name + ": no typed answer");
                }

                if (operation["requestBody"]?["content"]?["application/json"] is { } body && body["example"] is null)
                {
                    undescribed.Add(name + ": no example body");
                }

                if (secured && (!responses.ContainsKey("401") || responses["401"]?["description"]?.GetValue<string>().Contains("invalid_api_key", StringComparison.Ordinal) != true))
                {
                    undescribed.Add(name + ": no 401 with its codes");
                }
            }
        }

        Assert.Empty(undescribed);
        Assert.Contains("postModelsByNamePredict", operationIds);

        // Every example body is valid under the body's own schema (a strict generated client must be able to send it).
        var root = JsonNode.Parse(json)!.AsObject();
        var validator = new DocumentClient(new HttpClient(), root, "");
        foreach (var (path, item) in paths)
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (node!["requestBody"]?["content"]?["application/json"] is { } body && body["example"] is { } example)
                {
                    validator.AssertValid(body["schema"]!, example.ToJsonString(), $"the example body of {method.ToUpperInvariant()} {path}");
                }
            }
        }
        Assert.True(paths.Count >= 30, $"{paths.Count} paths");
    }

    [Fact]
    public async Task A_client_built_from_the_document_alone_calls_the_api()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = server.Client();
        var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var admin = new DocumentClient(http, document, server.AdminKey);
        var service = new DocumentClient(http, document, server.ServiceKey);

        // The registry, as an admin sees it.
        var (status, models) = await admin.CallAsync("GET", "/api/v1/models");
        Assert.Equal(200, status);
        Assert.Equal("lead_conversion", models.GetProperty("models")[0].GetProperty("name").GetString());

        // Scoring, with the service key: the answer matches PredictResponse, one result per row.
        var (scored, prediction) = await service.CallAsync("POST", "/api/v1/models/{name}/predict", new Dictionary<string, string> { ["name"] = "lead_conversion" },
            """{"rows": [[1, 2, 3], [4, 5, 6]], "top_k": 2}""");
        Assert.Equal(200, scored);
        Assert.Equal(2, prediction.GetProperty("predictions").GetArrayLength());

        // A key made from the documented example body: 201, its secret shown once.
        var (created, key) = await admin.CallAsync("POST", "/api/v1/keys");
        Assert.Equal(201, created);
        Assert.StartsWith("sk_", key.GetProperty("key").GetString(), StringComparison.Ordinal);

        // A refusal is a documented problem: its status is listed, its body matches ProblemDetails, and its code is named.
        var (missing, problem) = await admin.CallAsync("GET", "/api/v1/models/{name}", new Dictionary<string, string> { ["name"] = "no_such_model" });
        Assert.Equal(404, missing);
        string code = problem.GetProperty("code").GetString()!;
        Assert.Contains($"`{code}`", document["paths"]!["/api/v1/models/{name}"]!["get"]!["responses"]!["404"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operation_documents_415_exactly_when_it_refuses_a_body_that_is_not_json()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Crm:Enabled"] = "true" });
        using var http = server.Client(server.AdminKey);
        var paths = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject();
        var wrong = new List<string>();
        int checkedOperations = 0;
        foreach (var (path, item) in paths)
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (node!["requestBody"] is null)
                {
                    continue;
                }

                // Route values that exist (a missing model or student may be refused before the body is read).
                string url = path.Replace("{name}", "lead_conversion", StringComparison.Ordinal).Replace("{kind}", "students", StringComparison.Ordinal)
                    .Replace("{skill}", "empathy", StringComparison.Ordinal).Replace("{id}", "s-0001", StringComparison.Ordinal).Replace("{model}", "lead_conversion", StringComparison.Ordinal)
                    .Replace("{district}", "d-001", StringComparison.Ordinal);
                Assert.DoesNotContain('{', url);
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url) { Content = new StringContent("hello", System.Text.Encoding.UTF8, "text/plain") };
                using var answer = await http.SendAsync(request);
                bool documented = node["responses"]!.AsObject().ContainsKey("415");
                checkedOperations++;
                if (documented != ((int)answer.StatusCode == 415))
                {
                    wrong.Add($"{method.ToUpperInvariant()} {path}: {(documented ? "documents" : "does not document")} 415, answered {(int)answer.StatusCode}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.True(checkedOperations >= 15, $"{checkedOperations} operations take a body");
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>
/// A client driven by the server's OpenAPI document alone, as a generated client would be: it finds an
/// operation by method and path template, fills the path, sends the documented example body unless given
/// another, adds the bearer key when the operation declares the scheme, and checks the answer against
/// the document — a documented status, and a body valid under that status's JSON Schema.
/// </summary>
internal sealed class DocumentClient(HttpClient http, JsonObject document, string key)
{
    public async Task<(int Status, JsonElement Body)> CallAsync(string method, string template, IReadOnlyDictionary<string, string>? path = null, string? body = null)
    {
        var operation = document["paths"]?[template]?[method.ToLowerInvariant()]?.AsObject()
            ?? throw new InvalidOperationException($"the document has no {method} {template}");
        string url = template;
        foreach (var (name, value) in path ?? new Dictionary<string, string>())
        {
            url = url.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (operation["security"] is JsonArray { Count: > 0 } security && security[0]!.AsObject().ContainsKey("bearer"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (operation["requestBody"]?["content"]?["application/json"] is { } media)
        {
            string json = body ?? media["example"]?.ToJsonString() ?? throw new InvalidOperationException($"{method} {template} documents no example body");
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        int status = (int)response.StatusCode;
        string text = await response.Content.ReadAsStringAsync();
        var documented = operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]
            ?? throw new Xunit.Sdk.XunitException($"{method} {template} answered {status}, which the document does not list: {text}");
        if (text.Length == 0)
        {
            return (status, default);
        }

        var content = documented["content"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"{method} {template} answered {status} with a body the document does not describe");
        var schema = content.Select(c => c.Value?["schema"]).FirstOrDefault(s => s is not null) ?? throw new Xunit.Sdk.XunitException($"no schema for {status}");
        AssertValid(schema, text, $"{method} {template} {status}: the body");
        using var parsed = JsonDocument.Parse(text);
        return (status, parsed.RootElement.Clone());
    }

    /// <summary>Fails unless <paramref name="json"/> is valid under <paramref name="schema"/> (references to the document's components followed).</summary>
    public void AssertValid(JsonNode schema, string json, string what)
    {
        using var parsed = JsonDocument.Parse(json);
        var results = JsonSchema.FromText(Inline(schema, 0).ToJsonString()).Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, $"{what} does not match its documented schema: " +
            string.Join("; ", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation}: {string.Join(", ", d.Errors!.Values)}")) + "\n" + json);
    }

    /// <summary>The schema with every <c>#/components/schemas/…</c> reference replaced by a copy of what it names.</summary>
    private JsonNode Inline(JsonNode node, int references)
    {
        Assert.True(references < 16, "the schemas refer to each other without end");
        switch (node)
        {
            case JsonObject obj when obj["$ref"]?.GetValue<string>() is { } reference:
                const string Prefix = "#/components/schemas/";
                Assert.StartsWith(Prefix, reference, StringComparison.Ordinal);
                var target = document["components"]?["schemas"]?[reference[Prefix.Length..]] ?? throw new Xunit.Sdk.XunitException($"{reference} is not in the document");
                return Inline(target, references + 1);
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    copy[name] = value is null ? null : Inline(value, references);
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => item is null ? null : Inline(item, references))]);
            default:
                return node.DeepClone();
        }
    }
}

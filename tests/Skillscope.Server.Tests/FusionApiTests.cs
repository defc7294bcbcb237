using System.Net;
using System.Text.Json;
using Xunit;
using static Skillscope.Server.Tests.ProblemAssert;

namespace Skillscope.Server.Tests;

/// <summary>Fusion weights through the API and the file: validated, versioned, atomic, audited, hot-reloaded.</summary>
public sealed class FusionApiTests
{
    private const string Weights = "/api/v1/fusion/weights";

    [Fact]
    public async Task Valid_updates_make_a_new_audited_version_and_invalid_ones_change_nothing()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(server.AdminKey);
        using var initial = await Read(admin, Weights);
        Assert.Equal(1, initial.RootElement.GetProperty("version").GetInt64());
        Assert.Equal(7, initial.RootElement.GetProperty("skills").EnumerateObject().Count());

        await AssertProblem(await admin.PutAsync($"{Weights}/empathy", RunningServer.Json("""{"ml": 0.5, "linguistic": 0.2, "behavioral": 0.2, "confidence": 0.2}""")), 422, "invalid_weights");
        await AssertProblem(await admin.PutAsync($"{Weights}/empathy", RunningServer.Json("""{"ml": 1.2, "linguistic": -0.2, "behavioral": 0, "confidence": 0}""")), 422, "invalid_weights");
        await AssertProblem(await admin.PutAsync($"{Weights}/kindness", RunningServer.Json("""{"ml": 1, "linguistic": 0, "behavioral": 0, "confidence": 0}""")), 404, "skill_not_found");
        await AssertProblem(await admin.PutAsync(Weights, RunningServer.Json("""{"skills": {"empathy": {"ml": 1, "linguistic": 0, "behavioral": 0, "confidence": 0}, "kindness": {"ml": 1, "linguistic": 0, "behavioral": 0, "confidence": 0}}}""")), 422, "unknown_skill");
        using (var unchanged = await Read(admin, Weights))
        {
            Assert.Equal(1, unchanged.RootElement.GetProperty("version").GetInt64());
            Assert.Equal(0.6, unchanged.RootElement.GetProperty("skills").GetProperty("empathy").GetProperty("ml").GetDouble());
        }

        using var service = server.Client(server.ServiceKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.PutAsync($"{Weights}/empathy", RunningServer.Json("""{"ml": 1, "linguistic": 0, "behavioral": 0, "confidence": 0}"""))).StatusCode);

        using var updated = await Read(admin, $"{Weights}/empathy", RunningServer.Json("""{"version": 1, "ml": 0.7, "linguistic": 0.1, "behavioral": 0.1, "confidence": 0.1}"""));
        Assert.Equal(2, updated.RootElement.GetProperty("version").GetInt64());
        Assert.Equal(0.7, updated.RootElement.GetProperty("skills").GetProperty("empathy").GetProperty("ml").GetDouble());
        await AssertProblem(await admin.PutAsync($"{Weights}/empathy", RunningServer.Json("""{"version": 1, "ml": 1, "linguistic": 0, "behavioral": 0, "confidence": 0}""")), 409, "version_conflict");

        string file = File.ReadAllText(Path.Combine(server.DataDirectory, "fusion-weights.json"));
        Assert.Contains("\"version\": 2", file, StringComparison.Ordinal);
        var audit = await server.Store.ListAuditAsync();
        var entry = audit.First(a => a.Action == "fusion.update");
        Assert.Contains("\"version\": 1", entry.Before, StringComparison.Ordinal);
        Assert.Contains("\"version\": 2", entry.After, StringComparison.Ordinal);
        Assert.StartsWith("key:", entry.Actor, StringComparison.Ordinal);

        using var one = await Read(admin, $"{Weights}/empathy");
        Assert.Equal(0.1, one.RootElement.GetProperty("weights").GetProperty("confidence").GetDouble());
    }

    [Fact]
    public async Task Edits_to_the_file_are_picked_up_and_an_invalid_edit_leaves_the_old_weights_in_force()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(server.AdminKey);
        string path = Path.Combine(server.DataDirectory, "fusion-weights.json");
        string original = File.ReadAllText(path);

        File.WriteAllText(path, original.Replace("\"version\": 1", "\"version\": 5", StringComparison.Ordinal).Replace("\"ml\": 0.6", "\"ml\": 0.9", StringComparison.Ordinal)
            .Replace("\"linguistic\": 0.15", "\"linguistic\": 0", StringComparison.Ordinal).Replace("\"behavioral\": 0.15", "\"behavioral\": 0", StringComparison.Ordinal)
            .Replace("\"confidence\": 0.1", "\"confidence\": 0.1", StringComparison.Ordinal));
        long version = 0;
        for (int attempt = 0; attempt < 100 && version != 5; attempt++)
        {
            await Task.Delay(100);
            using var now = await Read(admin, Weights);
            version = now.RootElement.GetProperty("version").GetInt64();
        }

        Assert.Equal(5, version);
        Assert.Contains(await server.Store.ListAuditAsync(), a => a.Action == "fusion.reload" && a.Actor == "file");

        File.WriteAllText(path, original.Replace("\"ml\": 0.6", "\"ml\": 0.61", StringComparison.Ordinal));
        await AssertProblem(await admin.PostAsync($"{Weights}/reload", null), 422, "invalid_weights");
        using var kept = await Read(admin, Weights);
        Assert.Equal(5, kept.RootElement.GetProperty("version").GetInt64());
        Assert.Contains("sum to 1", kept.RootElement.GetProperty("file_error").GetString(), StringComparison.Ordinal);

        File.WriteAllText(path, "{ not json");
        await AssertProblem(await admin.PostAsync($"{Weights}/reload", null), 422, "invalid_json");
        File.WriteAllText(path, original);
        using var reloaded = await Read(admin, $"{Weights}/reload", method: HttpMethod.Post);
        Assert.Equal(1, reloaded.RootElement.GetProperty("version").GetInt64());
        Assert.False(reloaded.RootElement.TryGetProperty("file_error", out _));
    }

    private static async Task<JsonDocument> Read(HttpClient client, string path, HttpContent? put = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(put is not null ? HttpMethod.Put : method ?? HttpMethod.Get, path) { Content = put };
        using var response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }
}

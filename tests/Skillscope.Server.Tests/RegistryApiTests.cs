using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Skillscope.Scoring.Tests;
using Xunit;
using static Skillscope.Server.Tests.ProblemAssert;

namespace Skillscope.Server.Tests;

/// <summary>The registry through the API, and what the host does with a package that goes bad.</summary>
public sealed class RegistryApiTests
{
    [Fact]
    public async Task A_zipped_package_registers_once_and_a_tampered_one_is_refused()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(server.AdminKey);
        var zip = TestModels.Package(version: "3.0.0", seed: 3).ToZip();

        using var created = await admin.PostAsync("/api/v1/models", Zip(zip));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var again = await admin.PostAsync("/api/v1/models", Zip(zip));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        await AssertProblem(await admin.PostAsync("/api/v1/models", Zip(TestModels.Package(version: "3.0.0", seed: 4).ToZip())), 409, "version_exists");

        var tampered = (byte[])zip.Clone();
        tampered[tampered.Length / 3] ^= 0x5A;
        using var refused = await admin.PostAsync("/api/v1/models", Zip(tampered));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using var shown = await admin.GetAsync("/api/v1/models/lead_conversion");
        using var json = JsonDocument.Parse(await shown.Content.ReadAsStringAsync());
        Assert.Equal(["1.0.0", "2.0.0", "3.0.0"], json.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.Equal("1.0.0", json.RootElement.GetProperty("aliases").GetProperty("production").GetString());
    }

    [Fact]
    public async Task A_version_whose_stored_package_was_damaged_is_refused_and_the_previous_one_keeps_serving()
    {
        await using var server = await RunningServer.StartAsync();
        var damaged = await server.Store.GetVersionAsync("lead_conversion", "2.0.0");

        // Both the database's bytes and this machine's copy: a damaged copy alone is replaced from the database.
        var schema = Path.Combine(damaged!.StorePath, "schema.json");
        File.WriteAllText(schema, File.ReadAllText(schema).Replace("visits", "visitz", StringComparison.Ordinal));
        var bytes = (await server.Store.GetPackageAsync(damaged.Sha256))!.Zip;
        bytes[bytes.Length / 3] ^= 0x5A;
        await using (var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "skillscope.db")}"))
        {
            await database.OpenAsync();
            await using var update = new Microsoft.Data.Sqlite.SqliteCommand("UPDATE model_packages SET bytes = @bytes WHERE sha256 = @sha", database);
            update.Parameters.AddWithValue("@bytes", bytes);
            update.Parameters.AddWithValue("@sha", damaged.Sha256);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        using var admin = server.Client(server.AdminKey);
        using var promoted = await admin.PostAsync("/api/v1/models/lead_conversion/promote", RunningServer.Json("""{"version": "2.0.0"}"""));
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);

        using var service = server.Client(server.ServiceKey);
        using var scored = await service.PostAsync("/api/v1/models/lead_conversion/predict", RunningServer.Json("""{"rows": [[1, 2, 3]]}"""));
        using var json = JsonDocument.Parse(await scored.Content.ReadAsStringAsync());
        Assert.Equal("1.0.0", json.RootElement.GetProperty("model_version").GetString());

        using var health = await service.GetAsync("/health/detailed");
        using var detail = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("degraded", detail.RootElement.GetProperty("status").GetString());
        Assert.Equal("checksum_mismatch", detail.RootElement.GetProperty("failures")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Splits_assign_each_entity_stickily_and_changes_are_audited()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(server.AdminKey);
        await AssertProblem(await admin.PutAsync("/api/v1/models/lead_conversion/split", RunningServer.Json("""{"shares": {"1.0.0": 60}}""")), 400, "invalid_split");
        using var split = await admin.PutAsync("/api/v1/models/lead_conversion/split", RunningServer.Json("""{"shares": {"1.0.0": 50, "2.0.0": 50}}"""));
        Assert.Equal(HttpStatusCode.OK, split.StatusCode);

        var ids = Enumerable.Range(0, 40).Select(i => $"lead-{i}").ToArray();
        string body = JsonSerializer.Serialize(new { rows = ids.Select(_ => new[] { 1, 2, 3 }), entity_ids = ids });
        using var service = server.Client(server.ServiceKey);
        var first = await Versions(service, body);
        var second = await Versions(service, body);
        Assert.Equal(first, second);
        Assert.Equal(2, first.Distinct().Count());

        using var audit = await admin.GetAsync("/api/v1/audit");
        using var json = JsonDocument.Parse(await audit.Content.ReadAsStringAsync());
        var newest = json.RootElement.GetProperty("entries")[0];
        Assert.Equal("split.set", newest.GetProperty("action").GetString());
        Assert.Contains("tests-admin", newest.GetProperty("actor").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_reports_live_ready_and_the_served_models()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        using var detail = JsonDocument.Parse(await client.GetStringAsync("/health/detailed"));
        Assert.Equal("ok", detail.RootElement.GetProperty("status").GetString());
        Assert.Equal("ok", detail.RootElement.GetProperty("database").GetProperty("status").GetString());

        // Without a key: whether it is well, not what it serves, where its LLM is or its memory.
        Assert.False(detail.RootElement.TryGetProperty("models", out _));
        Assert.False(detail.RootElement.TryGetProperty("memory", out _));
        Assert.False(detail.RootElement.GetProperty("llm").TryGetProperty("endpoint", out _));
        using var admin = server.Client(server.AdminKey);
        using var full = JsonDocument.Parse(await admin.GetStringAsync("/health/detailed"));
        Assert.Equal("sqlite", full.RootElement.GetProperty("database").GetProperty("kind").GetString());
        Assert.True(full.RootElement.GetProperty("models").GetArrayLength() > 0);
        Assert.Contains("openapi", await client.GetStringAsync("/openapi/v1.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_count_requests_items_and_rejections_in_prometheus_text_and_json()
    {
        await using var server = await RunningServer.StartAsync();
        using var service = server.Client(server.ServiceKey);
        (await service.PostAsync("/api/v1/models/lead_conversion/predict", RunningServer.Json("""{"rows": [[1, 2, 3], [4, 5, 6], {"age": "x"}]}"""))).Dispose();
        (await service.PostAsync("/api/v1/models/lead_conversion/predict", RunningServer.Json("""{"rows": []}"""))).Dispose();

        string text = await service.GetStringAsync("/metrics");
        Assert.Contains("skillscope_items_scored_total{model=\"lead_conversion\",version=\"1.0.0\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("skillscope_rejections_total{code=\"empty_request\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("skillscope_rejections_total{code=\"wrong_type\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("skillscope_http_requests_total{method=\"POST\",route=\"/api/v1/models/{name}/predict\",status=\"200\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("skillscope_predict_duration_seconds_bucket{model=\"lead_conversion\",version=\"1.0.0\",le=\"+Inf\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("skillscope_model_loads_total{result=\"ok\"}", text, StringComparison.Ordinal);

        using var admin = server.Client(server.AdminKey);
        using var summary = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/metrics/summary"));
        var series = summary.RootElement.GetProperty("metrics").EnumerateArray().ToList();
        Assert.Contains(series, m => m.GetProperty("metric").GetString() == "skillscope_items_scored_total" && m.GetProperty("value").GetDouble() == 2);

        // The summary names every series as /metrics does.
        Assert.All(series, m => Assert.Contains("\n" + m.GetProperty("metric").GetString(), "\n" + text, StringComparison.Ordinal));
    }

    private static async Task<string[]> Versions(HttpClient client, string body)
    {
        using var response = await client.PostAsync("/api/v1/models/lead_conversion/predict", RunningServer.Json(body));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("model_version").GetString()!).ToArray();
    }

    private static ByteArrayContent Zip(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }
}

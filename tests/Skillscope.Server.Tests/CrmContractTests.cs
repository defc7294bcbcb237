using System.Net;
using System.Text.Json;
using Xunit;
using static Skillscope.Server.Tests.ProblemAssert;

namespace Skillscope.Server.Tests;

/// <summary>
/// The CRM's contract for its lead-conversion model, as its implementation log (seed 004) describes it:
/// <c>/ai/advanced-ml/health</c> with the model's status, <c>/models</c> with its metadata, and
/// <c>/predict-batch</c> taking a raw array of lead ids or <c>{"lead_ids": [...]}</c>, answering
/// <c>{predictions: [...]}</c> with <c>schema_version</c> "v1", <c>contract_version</c> 1, the model's id and
/// SHA-256, its calibration metadata and the request id; 422 for validation errors, 413 above 2,000 leads,
/// 503 when the model is not ready; CORS for the CRM's browser front end.
/// </summary>
public sealed class CrmContractTests
{
    private const string Origin = "https://crm.example.org";

    private static readonly Dictionary<string, string?> Enabled = new() { ["Crm:Enabled"] = "true", ["Crm:AllowedOrigins:0"] = Origin };

    [Fact]
    public async Task The_routes_exist_only_when_the_setting_turns_them_on()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.Client(server.ServiceKey);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ai/advanced-ml/health")).StatusCode);
    }

    [Fact]
    public async Task Leads_are_scored_from_either_payload_with_the_contracts_metadata()
    {
        await using var server = await RunningServer.StartAsync(Enabled);
        using var client = server.Client(server.ServiceKey);
        using (var stored = await client.PutAsync("/api/v1/features/lead_conversion", RunningServer.Json(
            """{"entities": [{"id": "lead_1", "features": {"age": 5, "visits": 7, "score": 1}}, {"id": "lead_2", "features": {"age": 1, "visits": 1}}]}""")))
        {
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }

        using var health = JsonDocument.Parse(await (await server.Client().GetAsync("/ai/advanced-ml/health")).Content.ReadAsStringAsync());
        Assert.Equal(("ok", 1, "lead_conversion@1.0.0"), (health.RootElement.GetProperty("status").GetString(),
            health.RootElement.GetProperty("contract_version").GetInt32(), health.RootElement.GetProperty("model_id").GetString()));
        Assert.Matches("^[0-9a-f]{64}$", health.RootElement.GetProperty("model_sha256").GetString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client().PostAsync("/ai/advanced-ml/predict-batch", RunningServer.Json("""["lead_1"]"""))).StatusCode);

        using var raw = await client.PostAsync("/ai/advanced-ml/predict-batch", RunningServer.Json("""["lead_1", "lead_2", "lead_404"]"""));
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        using var answer = JsonDocument.Parse(await raw.Content.ReadAsStringAsync());
        var root = answer.RootElement;
        Assert.Equal(("v1", 1, "lead_conversion@1.0.0"), (root.GetProperty("schema_version").GetString(), root.GetProperty("contract_version").GetInt32(), root.GetProperty("model_id").GetString()));
        Assert.Equal(health.RootElement.GetProperty("model_sha256").GetString(), root.GetProperty("model_sha256").GetString());
        Assert.Equal(raw.Headers.GetValues("X-Request-Id").Single(), root.GetProperty("request_id").GetString());
        Assert.Equal(JsonValueKind.False, root.GetProperty("calibration_metadata").GetProperty("calibrated").ValueKind);

        var leads = root.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(["lead_1", "lead_2", "lead_404"], leads.Select(l => l.GetProperty("lead_id").GetString()));
        foreach (var lead in leads.Take(2))
        {
            double score = lead.GetProperty("score").GetDouble(), confidence = lead.GetProperty("confidence").GetDouble(), coverage = lead.GetProperty("coverage").GetDouble();
            Assert.InRange(score, 0, 1);
            Assert.Equal(Math.Round(Math.Abs((2 * score) - 1) * coverage, 4), confidence, 4);
        }

        Assert.True(leads[1].GetProperty("coverage").GetDouble() < 1, "lead_2 has no score feature");
        Assert.False(leads[2].TryGetProperty("score", out _), "a lead without features has no score");
        Assert.Equal("entity_not_found", leads[2].GetProperty("error").GetProperty("code").GetString());

        using var wrapped = JsonDocument.Parse(await (await client.PostAsync("/ai/advanced-ml/predict-batch",
            RunningServer.Json("""{"lead_ids": ["lead_1", "lead_2"]}"""))).Content.ReadAsStringAsync());
        Assert.Equal(leads.Take(2).Select(l => l.GetProperty("score").GetDouble()),
            wrapped.RootElement.GetProperty("predictions").EnumerateArray().Select(l => l.GetProperty("score").GetDouble()));

        using var models = JsonDocument.Parse(await client.GetStringAsync("/ai/advanced-ml/models"));
        var production = models.RootElement.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("aliases").EnumerateArray().Any(a => a.GetString() == "production"));
        Assert.Equal(("1.0.0", 3), (production.GetProperty("version").GetString(), production.GetProperty("features").GetInt32()));
    }

    [Fact]
    public async Task Bad_payloads_are_422_too_many_leads_413_and_no_model_503()
    {
        await using var server = await RunningServer.StartAsync(Enabled);
        using var client = server.Client(server.ServiceKey);
        await AssertProblem(await client.PostAsync("/ai/advanced-ml/predict-batch", RunningServer.Json("""{"lead_ids": "lead_1"}""")), 422, "invalid_request");
        await AssertProblem(await client.PostAsync("/ai/advanced-ml/predict-batch", RunningServer.Json("""{"lead_ids": ["a"], "top_k": 3}""")), 422, "invalid_request");
        await AssertProblem(await client.PostAsync("/ai/advanced-ml/predict-batch", RunningServer.Json("""[1, 2]""")), 422, "invalid_field");
        await AssertProblem(await client.PostAsync("/ai/advanced-ml/predict-batch", RunningServer.Json("""[]""")), 422, "empty_request");
        string many = JsonSerializer.Serialize(Enumerable.Range(0, 2001).Select(i => $"lead_{i}"));
        await AssertProblem(await client.PostAsync("/ai/advanced-ml/predict-batch", RunningServer.Json(many)), 413, "too_many_items");

        await using var unpromoted = await RunningServer.StartAsync(Enabled, promote: false);
        using var health = await unpromoted.Client().GetAsync("/ai/advanced-ml/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("unavailable", JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        using var notReady = unpromoted.Client(unpromoted.ServiceKey);
        await AssertProblem(await notReady.PostAsync("/ai/advanced-ml/predict-batch", RunningServer.Json("""["lead_1"]""")), 503, "model_not_loaded");
    }

    [Fact]
    public async Task The_crms_front_end_may_call_from_its_origin_and_no_other()
    {
        await using var server = await RunningServer.StartAsync(Enabled);
        using var client = server.Client();
        foreach (var (origin, allowed) in new[] { (Origin, true), ("https://elsewhere.example", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/ai/advanced-ml/predict-batch");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            using var response = await client.SendAsync(preflight);
            Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
        }
    }

    [Theory]
    [InlineData("Crm:AllowedOrigins:0", "crm.example.org", "Crm:AllowedOrigins")]
    [InlineData("Crm:AllowedOrigins:0", "https://crm.example.org/app", "Crm:AllowedOrigins")]
    [InlineData("Crm:AllowedOrigins:0", "https://admin@crm.example.org", "Crm:AllowedOrigins")]
    [InlineData("Crm:Model", "Lead Conversion", "Crm:Model")]
    public async Task Settings_that_cannot_work_stop_the_start_naming_the_setting(string key, string value, string named)
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => RunningServer.StartAsync(new Dictionary<string, string?>(Enabled) { [key] = value }));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}

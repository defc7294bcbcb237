using System.Net;
using System.Text.Json;
using Xunit;
using static Skillscope.Server.Tests.ProblemAssert;

namespace Skillscope.Server.Tests;

/// <summary>The scoring contract, over real HTTP.</summary>
public sealed class PredictApiTests
{
    private const string Predict = "/api/v1/models/lead_conversion/predict";

    [Fact]
    public async Task Rows_are_scored_in_order_with_the_model_identity_and_per_item_warnings_and_errors()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.Client(server.ServiceKey);
        using var response = await client.PostAsync(Predict, RunningServer.Json(
            """{"rows": [{"age": 5, "visits": 7, "score": 1, "colour": "red"}, [1, 1, 1], {"age": "old"}, {"visits": 9}], "top_k": 2}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        Assert.Equal("lead_conversion@1.0.0", root.GetProperty("model_id").GetString());
        Assert.Equal(64, root.GetProperty("model_sha256").GetString()!.Length);
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), root.GetProperty("request_id").GetString());
        var predictions = root.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], predictions.Select(p => p.GetProperty("index").GetInt32()));
        Assert.InRange(predictions[0].GetProperty("score").GetSingle(), 0f, 1f);
        Assert.Contains("colour", predictions[0].GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(2, predictions[0].GetProperty("contributions").GetArrayLength());
        Assert.Equal("wrong_type", predictions[2].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1.0 / 3, predictions[3].GetProperty("coverage").GetDouble(), 6);

        // Same row, same score, whichever form it came in.
        using var again = await client.PostAsync(Predict, RunningServer.Json("""{"rows": [{"age": 1, "visits": 1, "score": 1}]}"""));
        using var againJson = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
        Assert.Equal(predictions[1].GetProperty("score").GetSingle(), againJson.RootElement.GetProperty("predictions")[0].GetProperty("score").GetSingle());
    }

    [Theory]
    [InlineData("""{"rows": [1""", 400, "malformed_json")]
    [InlineData("""{"rows": []}""", 400, "empty_request")]
    [InlineData("""{"row": [[1,2,3]]}""", 400, "unknown_field")]
    [InlineData("""{"rows": {"age": 1}}""", 400, "invalid_field")]
    [InlineData("""{"rows": [[1,2,3],[1,2,3]], "entity_ids": ["a", "a"]}""", 400, "duplicate_id")]
    [InlineData("""{"rows": ["NaN"]}""", 422, "no_item_scored")]
    [InlineData("""{"rows": [[1,2,3]], "version": "9.9.9"}""", 404, "version_not_found")]
    [InlineData("""{"rows": [[1,2,3]], "alias": "canary"}""", 404, "alias_not_found")]
    [InlineData("""{"rows": [[1,2,3]], "top_k": 1000}""", 400, "invalid_field")]
    public async Task Bad_requests_get_problem_details_with_a_stable_code(string body, int status, string code)
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.Client(server.ServiceKey);
        using var response = await client.PostAsync(Predict, RunningServer.Json(body));

        await AssertProblem(response, status, code);
    }

    [Fact]
    public async Task Limits_models_and_media_types_are_refused_by_code()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.Client(server.ServiceKey);
        string tooMany = "{\"rows\": [" + string.Join(",", Enumerable.Repeat("[1,2,3]", 2001)) + "]}";
        string tooBig = "{\"rows\": [" + string.Join(",", Enumerable.Repeat("[1,2,3]", 800_000)) + "]}";
        string tooDeep = "{\"rows\": " + new string('[', 5000) + new string(']', 5000) + "}";

        await AssertProblem(await client.PostAsync(Predict, RunningServer.Json(tooMany)), 413, "too_many_items");
        using (var expecting = server.Client(server.ServiceKey))
        {
            // A client that asks before sending a large body hears 413 instead of a reset connection.
            expecting.DefaultRequestHeaders.ExpectContinue = true;
            await AssertProblem(await expecting.PostAsync(Predict, RunningServer.Json(tooBig)), 413, "body_too_large");
        }

        await AssertProblem(await client.PostAsync(Predict, RunningServer.Json(tooDeep)), 400, "malformed_json");
        await AssertProblem(await client.PostAsync("/api/v1/models/nobody/predict", RunningServer.Json("""{"rows": [[1,2,3]]}""")), 404, "model_not_found");
        await AssertProblem(await client.PostAsync(Predict, new StringContent("age=1")), 415, "unsupported_media_type");
        await AssertProblem(await client.GetAsync("/api/v1/nowhere"), 404, "not_found");
    }

    [Fact]
    public async Task A_registered_model_with_no_promoted_version_is_not_loaded()
    {
        await using var server = await RunningServer.StartAsync(promote: false);
        using var client = server.Client(server.ServiceKey);

        await AssertProblem(await client.PostAsync(Predict, RunningServer.Json("""{"rows": [[1,2,3]]}""")), 503, "model_not_loaded");
        await server.Registry.PromoteAsync("lead_conversion", "1.0.0", "test", alias: "canary");
        await server.Host.RefreshAsync();
        await AssertProblem(await client.PostAsync(Predict, RunningServer.Json("""{"rows": [[1,2,3]]}""")), 503, "model_not_loaded");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(Predict, RunningServer.Json("""{"rows": [[1,2,3]], "alias": "canary"}"""))).StatusCode);
    }

    [Fact]
    public async Task Keys_are_required_checked_and_limited_by_role_and_rate()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["RateLimit:PermitsPerSecond"] = "1", ["RateLimit:Burst"] = "2" });
        var row = """{"rows": [[1,2,3]]}""";
        using (var anonymous = server.Client())
        {
            await AssertProblem(await anonymous.PostAsync(Predict, RunningServer.Json(row)), 401, "missing_api_key");
        }

        using (var wrong = server.Client("sk_not-a-key"))
        {
            await AssertProblem(await wrong.PostAsync(Predict, RunningServer.Json(row)), 401, "invalid_api_key");
        }

        using var service = server.Client(server.ServiceKey);
        await AssertProblem(await service.PostAsync("/api/v1/models/lead_conversion/promote", RunningServer.Json("""{"version": "2.0.0"}""")), 403, "forbidden");

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (int i = 0; i < 6 && limited is null; i++)
        {
            var response = await service.PostAsync(Predict, RunningServer.Json(row));
            statuses.Add(response.StatusCode);
            limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(limited);
        Assert.True(limited!.Headers.RetryAfter is not null, "429 without Retry-After");
        await AssertProblem(limited, 429, "rate_limited");
    }

    [Fact]
    public async Task Entities_stored_in_the_feature_store_are_scored_by_id()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.Client(server.ServiceKey);
        using var stored = await client.PutAsync("/api/v1/features/lead_conversion", RunningServer.Json(
            """{"entities": [{"id": "lead-1", "features": {"age": 5, "visits": 7, "score": 1}}, {"id": "lead-2", "features": {"age": 1, "visits": 1, "score": 1}}]}"""));
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);

        using var byIds = await client.PostAsync(Predict, RunningServer.Json("""["lead-2", "lead-404", "lead-1"]"""));
        using var json = JsonDocument.Parse(await byIds.Content.ReadAsStringAsync());
        var predictions = json.RootElement.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(["lead-2", "lead-404", "lead-1"], predictions.Select(p => p.GetProperty("entity_id").GetString()));
        Assert.Equal("entity_not_found", predictions[1].GetProperty("error").GetProperty("code").GetString());

        using var byRows = await client.PostAsync(Predict, RunningServer.Json("""{"rows": [[5, 7, 1]]}"""));
        using var rowJson = JsonDocument.Parse(await byRows.Content.ReadAsStringAsync());
        Assert.Equal(rowJson.RootElement.GetProperty("predictions")[0].GetProperty("score").GetSingle(), predictions[2].GetProperty("score").GetSingle());

        await AssertProblem(await client.PostAsync(Predict, RunningServer.Json("""{"ids": ["a", "a"]}""")), 400, "duplicate_id");
        await AssertProblem(await client.PostAsync(Predict, RunningServer.Json("""{"ids": ["a"], "rows": [[1,2,3]]}""")), 400, "invalid_request");
        await AssertProblem(await client.PutAsync("/api/v1/features/lead_conversion", RunningServer.Json("""{"entities": [{"id": "x", "features": {"age": "old"}}]}""")), 400, "wrong_type");
    }
}

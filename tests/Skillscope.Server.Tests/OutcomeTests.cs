using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Serving;
using Skillscope.Scoring.Tests;
using Skillscope.Testing;
using Skillscope.Trees.Training;
using Xunit;
using static Skillscope.Server.Tests.ProblemAssert;

namespace Skillscope.Server.Tests;

/// <summary>
/// Outcomes and canaries from outside: outcomes reported for scored leads are matched with the version
/// that scored each, the bad ones reported per item; each version is measured with intervals; a guarded
/// canary that is worse on its outcomes is set back to production by itself, audited and alerted, and a
/// better one is left in place.
/// </summary>
public sealed class OutcomeTests
{
    private const string Model = "/api/v1/models/lead_conversion";

    [Fact]
    public async Task Outcomes_are_matched_with_the_version_that_scored_each_and_bad_ones_are_reported_per_item()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Monitoring:FlushSeconds"] = "0.2" });
        using var service = server.Client(server.ServiceKey);
        using var admin = server.Client(server.AdminKey);
        var random = new Random(21);
        var rows = Rows(random, 400);
        await ScoreAsync(service, rows, "lead-");
        var truth = Scores(TestModels.Package(version: "1.0.0", seed: 1), rows);
        await WaitUntilScoredAsync(service, "lead-0");

        var items = new StringBuilder("{\"outcomes\": [");
        for (int i = 0; i < rows.Length; i++)
        {
            items.Append(CultureInfo.InvariantCulture, $"{{\"entity_id\": \"lead-{i}\", \"label\": {(random.NextDouble() < truth[i] ? 1 : 0)}}},");
        }

        items.Append("""{"entity_id": "ghost", "label": 1}, {"entity_id": "lead-1", "label": 2}, {"entity_id": "lead-2", "label": "yes"}, {"label": 1}, {"entity_id": "lead-3", "label": 0, "at": "next week"}]}""");
        using (var response = await service.PostAsync(Model + "/outcomes", RunningServer.Json(items.ToString())))
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            using var document = JsonDocument.Parse(body);
            Assert.Equal(400, document.RootElement.GetProperty("recorded").GetInt32());
            Assert.Equal(5, document.RootElement.GetProperty("refused").GetInt32());
            var errors = document.RootElement.GetProperty("errors").EnumerateArray().ToDictionary(e => e.GetProperty("index").GetInt32());
            Assert.Equal("unknown_entity", errors[400].GetProperty("code").GetString());
            Assert.Equal("invalid_label", errors[401].GetProperty("code").GetString());
            Assert.Contains("labels 0 and 1, not 2", errors[401].GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("invalid_label", errors[402].GetProperty("code").GetString());
            Assert.Equal("invalid_entity_id", errors[403].GetProperty("code").GetString());
            Assert.Equal("invalid_time", errors[404].GetProperty("code").GetString());
        }

        using (var comparison = JsonDocument.Parse(await admin.GetStringAsync(Model + "/comparison")))
        {
            var version = Assert.Single(comparison.RootElement.GetProperty("versions").EnumerateArray());
            Assert.Equal("1.0.0", version.GetProperty("version").GetString());
            Assert.Equal(["production"], version.GetProperty("serves").EnumerateArray().Select(s => s.GetString()));
            Assert.True(version.GetProperty("rows_scored").GetInt64() >= 400);
            Assert.True(version.GetProperty("calls").GetInt64() >= 1);
            Assert.Equal((0, 0.0), (version.GetProperty("calls_failed").GetInt64(), version.GetProperty("error_rate").GetDouble()));
            var outcomes = version.GetProperty("outcomes");
            Assert.Equal(400, outcomes.GetProperty("outcomes").GetInt64());
            var auc = outcomes.GetProperty("auc");
            Assert.InRange(auc.GetProperty("value").GetDouble(), auc.GetProperty("low").GetDouble(), auc.GetProperty("high").GetDouble());
            Assert.True(auc.GetProperty("high").GetDouble() - auc.GetProperty("low").GetDouble() is > 0.01 and < 0.3, "an interval of 400 outcomes");
            Assert.True(outcomes.TryGetProperty("log_loss", out _) && outcomes.TryGetProperty("calibration_error", out _));
        }

        await AssertProblem(await service.PostAsync(Model + "/outcomes", RunningServer.Json("""{"outcomes": []}""")), 400, "invalid_request");
        await AssertProblem(await service.PostAsync("/api/v1/models/nothing/outcomes", RunningServer.Json("""{"outcomes": [{"entity_id": "a", "label": 1}]}""")), 404, "model_not_found");
        await AssertProblem(await admin.GetAsync(Model + "/comparison?window=forever"), 400, "invalid_window");
    }

    [Fact]
    public async Task A_guarded_canary_worse_on_its_outcomes_is_set_back_to_production_by_itself()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await GuardedServerAsync(receiver);
        await server.Registry.RegisterAsync(ModelPackage.Create(NoiseModel(), new ModelMetadata { Name = "lead_conversion", Version = "3.0.0", Created = DateTimeOffset.UnixEpoch }), "test");
        using var admin = server.Client(server.AdminKey);
        using var service = server.Client(server.ServiceKey);
        await SplitAsync(admin, "3.0.0");

        // Outcomes follow production's probabilities: the candidate, which learnt noise, ranks them worse.
        await FeedOutcomesAsync(service, TestModels.Package(version: "1.0.0", seed: 1));
        // The split goes first, then the alert event is stored: wait for both.
        await WaitUntilAsync(async () => (await SplitOfAsync(admin)) is null
            && (await admin.GetStringAsync("/api/v1/alerts")).Contains(CanaryGuard.Kind, StringComparison.Ordinal));

        var audit = await server.Store.ListAuditAsync();
        var rollback = audit.First(a => a.Action == "split.clear");
        Assert.Equal("system:canary-guard", rollback.Actor);
        using (var alerts = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/alerts")))
        {
            var change = Assert.Single(alerts.RootElement.GetProperty("history").EnumerateArray(), e => e.GetProperty("rule_id").GetString() == CanaryGuard.RuleId);
            Assert.Equal("lead_conversion@3.0.0", change.GetProperty("subject").GetString());
            Assert.Contains("set back to production (1.0.0)", change.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        await WaitUntilAsync(() => Task.FromResult(receiver.Accepted.Any(h => h.Body.Contains("canary_rollback", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_guarded_canary_as_good_on_its_outcomes_is_left_in_place()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await GuardedServerAsync(receiver);
        using var admin = server.Client(server.AdminKey);
        using var service = server.Client(server.ServiceKey);
        await SplitAsync(admin, "2.0.0");

        // Outcomes follow the candidate's own probabilities: it is at least as good.
        await FeedOutcomesAsync(service, TestModels.Package(version: "2.0.0", seed: 7));
        using (var comparison = JsonDocument.Parse(await admin.GetStringAsync(Model + "/comparison")))
        {
            Assert.Equal(2, comparison.RootElement.GetProperty("versions").GetArrayLength());
        }

        // Several evaluations later the split is still there, and nothing fired.
        for (int i = 0; i < 4; i++)
        {
            using var before = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/alerts"));
            string? at = before.RootElement.TryGetProperty("evaluated_at", out var stamp) ? stamp.GetString() : null;
            await WaitUntilAsync(async () =>
            {
                using var now = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/alerts"));
                return now.RootElement.TryGetProperty("evaluated_at", out var later) && later.GetString() != at;
            });
        }

        Assert.NotNull(await SplitOfAsync(admin));
        Assert.DoesNotContain((await server.Store.ListAuditAsync()), a => a.Action == "split.clear");
    }

    private static async Task<RunningServer> GuardedServerAsync(WebhookReceiver receiver)
    {
        var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Monitoring:FlushSeconds"] = "0.2",
            ["Alerts:EvaluationSeconds"] = "1",
            ["Alerts:DeliverySeconds"] = "0.2",
        });
        using var admin = server.Client(server.AdminKey);
        using var rules = await admin.PutAsync("/api/v1/alerts/rules", RunningServer.Json($$"""
            {"rules": [], "webhooks": [{"id": "ops", "url": "{{receiver.Url}}", "secret": "a-secret-for-these-tests"}]}
            """));
        Assert.Equal(HttpStatusCode.OK, rules.StatusCode);
        return server;
    }

    private static async Task SplitAsync(HttpClient admin, string candidate)
    {
        using var split = await admin.PutAsync(Model + "/split", RunningServer.Json($$$"""
            {"shares": {"1.0.0": 50, "{{{candidate}}}": 50}, "guard": {"min_auc_delta": -0.03, "min_outcomes": 150}}
            """));
        string body = await split.Content.ReadAsStringAsync();
        Assert.True(split.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("\"min_auc_delta\":-0.03", body, StringComparison.Ordinal);
    }

    /// <summary>Scores 1,000 leads through the split, then reports each one's outcome drawn from <paramref name="truth"/>'s probabilities.</summary>
    private static async Task FeedOutcomesAsync(HttpClient service, ModelPackage truth)
    {
        var random = new Random(5);
        var rows = Rows(random, 1_000);
        await ScoreAsync(service, rows, "lead-");
        await WaitUntilScoredAsync(service, $"lead-{rows.Length - 1}");
        var probabilities = Scores(truth, rows);
        var body = new StringBuilder("{\"outcomes\": [");
        body.AppendJoin(",", Enumerable.Range(0, rows.Length).Select(i => $"{{\"entity_id\": \"lead-{i}\", \"label\": {(random.NextDouble() < probabilities[i] ? 1 : 0)}}}"));
        using var response = await service.PostAsync(Model + "/outcomes", RunningServer.Json(body.Append("]}").ToString()));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var document = JsonDocument.Parse(text);
        Assert.Equal(rows.Length, document.RootElement.GetProperty("recorded").GetInt32());
    }

    private static async Task<JsonElement?> SplitOfAsync(HttpClient admin)
    {
        using var model = JsonDocument.Parse(await admin.GetStringAsync(Model));
        return model.RootElement.TryGetProperty("split", out var split) && split.ValueKind == JsonValueKind.Object ? split.Clone() : null;
    }

    /// <summary>Until the last lead's score is written (an outcome for it is recorded; the same label again later replaces it).</summary>
    private static async Task WaitUntilScoredAsync(HttpClient service, string entity) =>
        await WaitUntilAsync(async () =>
        {
            using var response = await service.PostAsync(Model + "/outcomes", RunningServer.Json($$"""{"outcomes": [{"entity_id": "{{entity}}", "label": 0}]}"""));
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return document.RootElement.GetProperty("recorded").GetInt32() == 1;
        });

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("the condition did not hold within 30 s");
    }

    private static float[][] Rows(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new[] { (float)(random.NextDouble() * 10), (float)(random.NextDouble() * 10), (float)(random.NextDouble() * 10) })];

    private static float[] Scores(ModelPackage package, float[][] rows)
    {
        var outputs = new float[rows.Length];
        new PackageScorer(package).ScoreBatch(rows.SelectMany(r => r).ToArray(), outputs, []);
        return outputs;
    }

    private static async Task ScoreAsync(HttpClient client, float[][] rows, string prefix)
    {
        for (int start = 0; start < rows.Length; start += 500)
        {
            var chunk = rows.Skip(start).Take(500).ToArray();
            var body = new StringBuilder("{\"rows\": [");
            body.AppendJoin(",", chunk.Select(r => "[" + string.Join(",", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]"));
            body.Append("], \"entity_ids\": [").AppendJoin(",", chunk.Select((_, i) => $"\"{prefix}{start + i}\"")).Append("]}");
            using var response = await client.PostAsync(Model + "/predict", RunningServer.Json(body.ToString()));
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>A model of the same features trained on coin flips: its scores rank nothing.</summary>
    private static byte[] NoiseModel()
    {
        var random = new Random(13);
        int rows = 400;
        var x = new float[rows * 3];
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int f = 0; f < 3; f++)
            {
                x[(r * 3) + f] = (float)(random.NextDouble() * 10);
            }

            y[r] = random.NextDouble() < 0.5 ? 1 : 0;
        }

        var parameters = new TrainingParameters { Objective = "binary:logistic", NumRound = 10, MaxDepth = 4, Seed = 13, Threads = 1 };
        return GradientBoostingTrainer.Train(new TrainingData(x, y, 3, featureNames: TestModels.FeatureNames), parameters).ToUbjson();
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Serving;
using Skillscope.Scoring.Tests;
using Skillscope.Trees.Metrics;
using Skillscope.Trees.Training;
using Xunit;
using static Skillscope.Server.Tests.ProblemAssert;

namespace Skillscope.Server.Tests;

/// <summary>
/// Shadow deployments from outside: a candidate that differs from production on known rows reports exactly
/// that difference, while every answer stays production's; a candidate that fails on every row fails no request.
/// </summary>
public sealed class ShadowTests
{
    private const string Predict = "/api/v1/models/lead_conversion/predict";
    private const string Shadow = "/api/v1/models/lead_conversion/shadow";

    [Fact]
    public async Task A_candidate_in_the_shadow_reports_exactly_how_it_differs_and_is_never_answered()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Monitoring:FlushSeconds"] = "0.2" });
        using var admin = server.Client(server.AdminKey);
        using var service = server.Client(server.ServiceKey);
        using (var started = await admin.PutAsync(Shadow, RunningServer.Json("""{"version": "2.0.0", "cuts": [0.3, 0.7]}""")))
        {
            Assert.True(started.StatusCode == HttpStatusCode.OK, await started.Content.ReadAsStringAsync());
            using var view = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
            Assert.Equal(100, view.RootElement.GetProperty("percent").GetInt32());
        }

        var rows = Rows(new Random(4), 600);
        var answered = await ScoreAsync(service, rows);

        // What the two versions give these rows, computed here from their packages.
        var production = Scores(TestModels.Package(version: "1.0.0", seed: 1), rows);
        var candidate = Scores(TestModels.Package(version: "2.0.0", seed: 7), rows);
        Assert.Equal(production, answered);
        Assert.NotEqual(production, candidate);
        double difference = 0;
        int changed = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            difference += Math.Abs((double)production[i] - candidate[i]);
            changed += Band(production[i]) != Band(candidate[i]) ? 1 : 0;
        }

        using var report = await WaitForReportAsync(admin, r => r.GetProperty("comparisons").GetArrayLength() == 1 && r.GetProperty("comparisons")[0].GetProperty("rows").GetInt64() == rows.Length);
        var comparison = report.RootElement.GetProperty("comparisons")[0];
        Assert.Equal("1.0.0", comparison.GetProperty("served").GetString());
        Assert.Equal(0, comparison.GetProperty("failures").GetInt64());
        Assert.Equal(difference / rows.Length, comparison.GetProperty("mean_absolute_difference").GetDouble(), 12);
        Assert.Equal((double)changed / rows.Length, comparison.GetProperty("band_change_share").GetDouble(), 12);
        Assert.Equal(Math.Round(RegressionMetrics.Spearman([.. production.Select(p => (double)p)], [.. candidate.Select(c => (double)c)]), 6),
            comparison.GetProperty("rank_correlation").GetDouble(), 9);
        Assert.True(comparison.GetProperty("served_microseconds_per_row").GetDouble() > 0);
        Assert.True(comparison.GetProperty("candidate_microseconds_per_row").GetDouble() > 0);
        Assert.Equal(["served", "candidate"], report.RootElement.GetProperty("drift").EnumerateArray().Select(d => d.GetProperty("role").GetString()));

        // Stopped: the report says there is none, and the registry's audit log holds both changes.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(Shadow)).StatusCode);
        await AssertProblem(await admin.GetAsync(Shadow + "/report"), 404, "no_shadow");
        await AssertProblem(await admin.DeleteAsync(Shadow), 404, "no_shadow");
        var audit = await server.Store.ListAuditAsync();
        Assert.Contains(audit, a => a.Action == "shadow.set" && a.Subject == "lead_conversion");
        Assert.Contains(audit, a => a.Action == "shadow.clear" && a.Subject == "lead_conversion");
    }

    [Fact]
    public async Task A_candidate_that_fails_on_every_row_fails_no_request()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Monitoring:FlushSeconds"] = "0.2" });
        await server.Registry.RegisterAsync(ModelPackage.Create(ThreeClassModel(), new ModelMetadata { Name = "lead_conversion", Version = "3.0.0", Created = DateTimeOffset.UnixEpoch }), "test");
        using var admin = server.Client(server.AdminKey);
        using var service = server.Client(server.ServiceKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync(Shadow, RunningServer.Json("""{"version": "3.0.0", "percent": 50}"""))).StatusCode);

        var rows = Rows(new Random(9), 400);
        Assert.Equal(Scores(TestModels.Package(version: "1.0.0", seed: 1), rows), await ScoreAsync(service, rows));
        using var report = await WaitForReportAsync(admin, r => r.GetProperty("comparisons").GetArrayLength() == 1 && r.GetProperty("comparisons")[0].GetProperty("failures").GetInt64() == 200);
        var comparison = report.RootElement.GetProperty("comparisons")[0];
        Assert.Equal(0, comparison.GetProperty("rows").GetInt64());
        Assert.Contains("cannot be compared", comparison.GetProperty("last_failure").GetString(), StringComparison.Ordinal);

        // Refusals name what is wrong.
        await AssertProblem(await admin.PutAsync(Shadow, RunningServer.Json("""{"version": "9.9.9"}""")), 404, "version_not_found");
        await AssertProblem(await admin.PutAsync(Shadow, RunningServer.Json("""{"version": "2.0.0", "percent": 0}""")), 400, "invalid_shadow");
        await AssertProblem(await admin.PutAsync(Shadow, RunningServer.Json("""{"version": "2.0.0", "cuts": [0.7, 0.3]}""")), 400, "invalid_shadow");
        await AssertProblem(await admin.PutAsync(Shadow, RunningServer.Json("""{"percent": 50}""")), 400, "invalid_request");
        await AssertProblem(await admin.GetAsync(Shadow + "/report?window=30m"), 400, "invalid_window");
        await AssertProblem(await admin.GetAsync("/api/v1/models/nothing/shadow/report"), 404, "model_not_found");
        Assert.Equal(HttpStatusCode.Forbidden, (await service.PutAsync(Shadow, RunningServer.Json("""{"version": "2.0.0"}"""))).StatusCode);
    }

    private static float[][] Rows(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new[] { (float)(random.NextDouble() * 10), (float)(random.NextDouble() * 10), (float)(random.NextDouble() * 10) })];

    private static int Band(float score) => score >= 0.7f ? 2 : score >= 0.3f ? 1 : 0;

    private static float[] Scores(ModelPackage package, float[][] rows)
    {
        var scorer = new PackageScorer(package);
        var matrix = rows.SelectMany(r => r).ToArray();
        var outputs = new float[rows.Length];
        scorer.ScoreBatch(matrix, outputs, []);
        return outputs;
    }

    private static async Task<float[]> ScoreAsync(HttpClient client, float[][] rows)
    {
        var body = new StringBuilder("{\"rows\": [");
        body.AppendJoin(",", rows.Select(r => "[" + string.Join(",", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]"));
        using var response = await client.PostAsync(Predict, RunningServer.Json(body.Append("]}").ToString()));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var document = JsonDocument.Parse(text);
        return [.. document.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("score").GetSingle())];
    }

    private static byte[] ThreeClassModel()
    {
        var random = new Random(5);
        int rows = 300;
        var x = new float[rows * 3];
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int f = 0; f < 3; f++)
            {
                x[(r * 3) + f] = (float)(random.NextDouble() * 10);
            }

            y[r] = (int)(x[r * 3] / 3.4);
        }

        var parameters = new TrainingParameters { Objective = "multi:softprob", NumClass = 3, NumRound = 3, MaxDepth = 2, Seed = 5, Threads = 1 };
        return GradientBoostingTrainer.Train(new TrainingData(x, y, 3, featureNames: TestModels.FeatureNames), parameters).ToUbjson();
    }

    private static async Task<JsonDocument> WaitForReportAsync(HttpClient admin, Func<JsonElement, bool> ready)
    {
        for (int i = 0; i < 200; i++)
        {
            using var response = await admin.GetAsync(Shadow + "/report?window=1h");
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var document = JsonDocument.Parse(text);
            if (ready(document.RootElement))
            {
                return document;
            }

            document.Dispose();
            await Task.Delay(100);
        }

        throw new TimeoutException("the shadow report did not reach the expected state in 20 s");
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;
using static Skillscope.Server.Tests.ProblemAssert;

namespace Skillscope.Server.Tests;

/// <summary>
/// Drift through the API, from rows scored over real HTTP: a version with no reference makes one from its
/// first rows, the same distribution afterwards reads as no drift, and a shifted feature and a jump in
/// another's missing values read as alerts on exactly those.
/// </summary>
public sealed class DriftApiTests
{
    private const string Predict = "/api/v1/models/lead_conversion/predict";
    private const string Drift = "/api/v1/models/lead_conversion/drift";

    [Fact]
    public async Task Scored_rows_make_a_reference_then_drift_names_the_features_that_moved()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Monitoring:ReferenceRows"] = "200",
            ["Monitoring:FlushSeconds"] = "0.2",
            ["Monitoring:DriftMinimumRows"] = "100",
            ["Monitoring:Models:lead_conversion:Features:score:DriftWarn"] = "0.15",
            ["Monitoring:Models:lead_conversion:Features:score:DriftAlert"] = "0.3",
        });
        using var service = server.Client(server.ServiceKey);
        using var admin = server.Client(server.AdminKey);
        var random = new Random(5);

        using (var none = JsonDocument.Parse(await admin.GetStringAsync(Drift)))
        {
            Assert.Equal("building_reference", none.RootElement.GetProperty("status").GetString());
            Assert.Equal("1.0.0", none.RootElement.GetProperty("version").GetString());
        }

        await ScoreAsync(service, random, 300, shiftAge: 0, missingVisits: 0);
        using (var first = await WaitAsync(admin, root => root.GetProperty("status").GetString() != "building_reference"))
        {
            var reference = first.RootElement.GetProperty("reference");
            Assert.Equal("first_scored_rows", reference.GetProperty("source").GetString());
            Assert.Equal(200, reference.GetProperty("rows").GetInt64());
        }

        // The same distribution again: no drift.
        await ScoreAsync(service, random, 1_000, shiftAge: 0, missingVisits: 0);
        using (var same = await WaitAsync(admin, root => root.GetProperty("live_rows").GetInt64() >= 1_000))
        {
            var root = same.RootElement;
            Assert.Equal("ok", root.GetProperty("status").GetString());
            Assert.Equal(["age", "visits", "score"], root.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
            Assert.All(root.GetProperty("features").EnumerateArray(), f => Assert.Equal("ok", f.GetProperty("status").GetString()));
        }

        // Older leads, and half of them without a visit count: those two features move, the third does not.
        await ScoreAsync(service, random, 1_000, shiftAge: 5, missingVisits: 0.5);
        using var moved = await WaitAsync(admin, root => root.GetProperty("live_rows").GetInt64() >= 2_000);
        var features = moved.RootElement.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal("alert", moved.RootElement.GetProperty("status").GetString());
        Assert.Equal("alert", features["age"].GetProperty("status").GetString());
        Assert.Equal("alert", features["visits"].GetProperty("status").GetString());
        Assert.InRange(features["visits"].GetProperty("missing_live").GetDouble(), 0.2, 0.3);
        Assert.Equal("ok", features["score"].GetProperty("status").GetString());

        // Each variable says which thresholds judged it: its own where it has some, the installation's otherwise.
        Assert.Equal((0.15, 0.3), (features["score"].GetProperty("warn").GetDouble(), features["score"].GetProperty("alert").GetDouble()));
        Assert.Equal((0.1, 0.2), (features["age"].GetProperty("warn").GetDouble(), features["age"].GetProperty("alert").GetDouble()));
        Assert.True(features["age"].GetProperty("psi").GetDouble() > features["score"].GetProperty("psi").GetDouble());

        // The model's own score is reported apart from the feature that happens to be called "score".
        Assert.Equal("(score)", moved.RootElement.GetProperty("score").GetProperty("name").GetString());
        Assert.Equal(0, moved.RootElement.GetProperty("from").GetDateTime().Ticks % TimeSpan.TicksPerHour);
    }

    [Fact]
    public async Task A_window_that_is_not_hours_or_days_and_an_unknown_model_or_version_are_refused_by_name()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(server.AdminKey);
        await AssertProblem(await admin.GetAsync(Drift + "?window=1w"), 400, "invalid_window");
        await AssertProblem(await admin.GetAsync(Drift + "?window=100d"), 400, "invalid_window");
        await AssertProblem(await admin.GetAsync("/api/v1/models/nothing/drift"), 404, "model_not_found");
        await AssertProblem(await admin.GetAsync(Drift + "?version=9.9.9"), 404, "version_not_found");
        using var service = server.Client(server.ServiceKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.GetAsync(Drift)).StatusCode);
        using var week = JsonDocument.Parse(await admin.GetStringAsync(Drift + "?window=7d&version=2.0.0"));
        Assert.Equal("7d", week.RootElement.GetProperty("window").GetString());
        Assert.Equal("2.0.0", week.RootElement.GetProperty("version").GetString());
    }

    /// <summary>Rows like the model's training data (every feature uniform on 0–10), age shifted and visits sometimes left out as asked.</summary>
    private static async Task ScoreAsync(HttpClient client, Random random, int rows, double shiftAge, double missingVisits)
    {
        var body = new StringBuilder("{\"rows\": [");
        for (int r = 0; r < rows; r++)
        {
            string visits = random.NextDouble() < missingVisits ? "null" : (random.NextDouble() * 10).ToString("F3", CultureInfo.InvariantCulture);
            body.Append(CultureInfo.InvariantCulture, $"{(r > 0 ? "," : "")}[{(random.NextDouble() * 10) + shiftAge:F3}, {visits}, {random.NextDouble() * 10:F3}]");
        }

        using var response = await client.PostAsync(Predict, RunningServer.Json(body.Append("]}").ToString()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The drift answer once <paramref name="ready"/> holds (counts reach the database within a flush or two).</summary>
    private static async Task<JsonDocument> WaitAsync(HttpClient admin, Func<JsonElement, bool> ready)
    {
        for (int i = 0; i < 200; i++)
        {
            var document = JsonDocument.Parse(await admin.GetStringAsync(Drift));
            if (ready(document.RootElement))
            {
                return document;
            }

            document.Dispose();
            await Task.Delay(50);
        }

        throw new TimeoutException("drift did not reach the expected state in 10 s");
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Packages;
using Skillscope.Testing;
using Skillscope.Trees.Training;
using Xunit;
using static Skillscope.Server.Tests.ProblemAssert;

namespace Skillscope.Server.Tests;

/// <summary>
/// Alerts from outside: rules set through the API, rows scored over real HTTP, webhooks posted to a real
/// receiver. A replay of the reference distribution raises nothing; a shifted stream raises exactly the
/// alerts of the features that moved, once each, signed, delivered through a receiver that is down at
/// first; going back to the reference resolves them, once each.
/// </summary>
public sealed class AlertTests
{
    private const string Model = "churn";
    private const string Secret = "a-signing-secret-for-tests-only";

    /// <summary>The secret part of a Slack webhook URL.</summary>
    private const string SlackToken = "xq7Lm2Rt8VbN4kWpQ9xz";
    private static readonly string[] Features = ["tenure", "spend", "visits", "age"];

    [Fact]
    public async Task A_shifted_stream_fires_exactly_its_alerts_once_each_and_going_back_resolves_them()
    {
        var clock = new ShiftedTime();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Monitoring:ReferenceRows"] = "2000",
            ["Monitoring:FlushSeconds"] = "0.2",
            ["Alerts:EvaluationSeconds"] = "1",
            ["Alerts:DeliverySeconds"] = "0.2",
            ["Alerts:RetrySeconds"] = "0.2",
        }, services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        await server.Registry.RegisterAsync(ModelPackage.Create(TenureModel(), new ModelMetadata { Name = Model, Version = "1.0.0", Created = DateTimeOffset.UnixEpoch }), "test");
        await server.Registry.PromoteAsync(Model, "1.0.0", "test");
        await server.Host.RefreshAsync();
        using var service = server.Client(server.ServiceKey);
        using var admin = server.Client(server.AdminKey);

        string rules = $$"""
            {"version": 0, "rules": [
              {"id": "feature-drift", "kind": "feature_drift", "window": "1h", "clear_minutes": 0},
              {"id": "score-drift", "kind": "score_drift", "window": "1h", "clear_minutes": 0},
              {"id": "low-coverage", "kind": "low_coverage", "window": "1h"},
              {"id": "error-rate", "kind": "error_rate"},
              {"id": "latency-p95", "kind": "latency_p95"},
              {"id": "rating-correlation", "kind": "rating_correlation"},
              {"id": "llm-fallback", "kind": "llm_fallback"}],
             "webhooks": [{"id": "ops", "url": "{{receiver.Url}}", "format": "json", "secret": "{{Secret}}"}]}
            """;
        using (var put = await admin.PutAsync("/api/v1/alerts/rules", RunningServer.Json(rules)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        // The URL is a credential: read back masked, and a read sent back as it is keeps it (the deliveries below reach it).
        string read = await admin.GetStringAsync("/api/v1/alerts/rules");
        Assert.DoesNotContain(receiver.Token, read, StringComparison.Ordinal);
        Assert.Contains($"\"url\":\"{receiver.Url.GetLeftPart(UriPartial.Authority)}/…{receiver.Token[^4..]}\"", read, StringComparison.Ordinal);
        using (var put = await admin.PutAsync("/api/v1/alerts/rules", RunningServer.Json(read)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        // The first 2,000 rows make the reference; 200,000 more of the same distribution raise nothing.
        var random = new Random(11);
        await ScoreAsync(service, random, 2_000, ageShift: 0, visitsMissing: 0.05);
        await WaitForLiveRowsAsync(admin, 0);
        await ScoreAsync(service, random, 200_000, ageShift: 0, visitsMissing: 0.05);
        await WaitForLiveRowsAsync(admin, 200_000);
        await WaitForEvaluationsAsync(admin, 2);
        using (var quiet = await AlertsAsync(admin))
        {
            Assert.Empty(quiet.RootElement.GetProperty("firing").EnumerateArray());
            Assert.Empty(quiet.RootElement.GetProperty("pending").EnumerateArray());
            Assert.Empty(quiet.RootElement.GetProperty("history").EnumerateArray());
        }

        // The next hour: age's mean moves by half a standard deviation, visits goes missing in 40 % of rows
        // instead of 5 %. The receiver is down for the first two posts.
        receiver.FailNext(2);
        clock.Advance(TimeSpan.FromHours(1));
        await ScoreAsync(service, random, 3_000, ageShift: 5, visitsMissing: 0.40);
        using (var firing = await WaitForAsync(admin, root => root.GetProperty("firing").GetArrayLength() >= 2 && root.GetProperty("deliveries").EnumerateArray().All(d => d.GetProperty("status").GetString() == "delivered")))
        {
            await WaitForEvaluationsAsync(admin, 2);
            using var settled = await AlertsAsync(admin);
            var root = settled.RootElement;
            Assert.Equal(["churn@1.0.0/age", "churn@1.0.0/visits"], root.GetProperty("firing").EnumerateArray().Select(a => a.GetProperty("subject").GetString()).Order());
            Assert.All(root.GetProperty("firing").EnumerateArray(), a => Assert.Equal("feature-drift", a.GetProperty("rule").GetString()));
            Assert.Equal(2, root.GetProperty("history").GetArrayLength());

            // Delivered once each, after the receiver came back: the first delivery took three attempts.
            var deliveries = root.GetProperty("deliveries").EnumerateArray().OrderBy(d => d.GetProperty("id").GetInt64()).ToArray();
            Assert.Equal(2, deliveries.Length);
            Assert.Equal(3, deliveries[0].GetProperty("attempts").GetInt32());
            Assert.Contains("503", deliveries[0].GetProperty("last_error").GetString(), StringComparison.Ordinal);
            Assert.Equal(1, deliveries[1].GetProperty("attempts").GetInt32());
        }

        Assert.Equal(2, receiver.Refused);
        Assert.All(await server.Alerts.DeliveriesAsync(10), d => Assert.DoesNotContain(receiver.Token, d.Url, StringComparison.Ordinal));
        Assert.All((await server.Store.ListAuditAsync()).Where(a => a.Action == "alerts.rules"),
            change => Assert.DoesNotContain(receiver.Token, (change.Before ?? "") + change.After, StringComparison.Ordinal));
        var fired = receiver.Accepted.ToArray();
        Assert.Equal(2, fired.Length);
        foreach (var hook in fired)
        {
            Assert.True(WebhookSignature.Verify(Secret, hook.Headers[WebhookSignature.Header], Encoding.UTF8.GetBytes(hook.Body)), "the signature checks out");
            Assert.False(WebhookSignature.Verify("another secret of some length", hook.Headers[WebhookSignature.Header], Encoding.UTF8.GetBytes(hook.Body)));
            Assert.Equal("alert.firing", hook.Headers["Skillscope-Event"]);
            using var body = JsonDocument.Parse(hook.Body);
            Assert.Equal("feature_drift", body.RootElement.GetProperty("kind").GetString());
            Assert.True(body.RootElement.GetProperty("value").GetDouble() >= body.RootElement.GetProperty("threshold").GetDouble());
        }

        // While they fire: the health check is degraded, the gauge counts them per rule.
        using (var health = JsonDocument.Parse(await admin.GetStringAsync("/health/detailed")))
        {
            Assert.Equal("degraded", health.RootElement.GetProperty("status").GetString());
            Assert.Equal(2, health.RootElement.GetProperty("alerts").GetProperty("firing").GetInt32());
        }

        string metrics = await admin.GetStringAsync("/metrics");
        Assert.Contains("skillscope_alerts_firing{rule=\"feature-drift\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("rule=\"score-drift\"} 0", metrics, StringComparison.Ordinal);

        // The hour after: the reference distribution again. Both resolve, once each.
        clock.Advance(TimeSpan.FromHours(1));
        await ScoreAsync(service, random, 3_000, ageShift: 0, visitsMissing: 0.05);
        using (var resolved = await WaitForAsync(admin, root => root.GetProperty("firing").GetArrayLength() == 0))
        {
            await WaitForEvaluationsAsync(admin, 2);
            using var settled = await AlertsAsync(admin);
            var history = settled.RootElement.GetProperty("history").EnumerateArray().Select(e => (e.GetProperty("subject").GetString(), e.GetProperty("type").GetString())).ToArray();
            Assert.Equal(4, history.Length);
            Assert.Equal(2, history.Count(e => e.Item2 == "resolved"));
        }

        await WaitUntilAsync(() => receiver.Accepted.Count == 4);
        Assert.Equal(2, receiver.Accepted.Count(h => h.Headers["Skillscope-Event"] == "alert.resolved"));
        using var healthy = JsonDocument.Parse(await admin.GetStringAsync("/health/detailed"));
        Assert.Equal("ok", healthy.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Rules_are_validated_whole_versioned_audited_and_secrets_never_shown()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(server.AdminKey);
        using (var defaults = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/alerts/rules")))
        {
            var root = defaults.RootElement;
            Assert.Equal(0, root.GetProperty("version").GetInt64());
            var byKind = root.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("kind").GetString()!);
            Assert.Equal(0.05, byKind["error_rate"].GetProperty("threshold").GetDouble());
            Assert.Equal(1000, byKind["latency_p95"].GetProperty("threshold").GetDouble());
            Assert.Equal(0.6, byKind["low_coverage"].GetProperty("coverage_below").GetDouble());
            Assert.Equal(0.5, byKind["rating_correlation"].GetProperty("threshold").GetDouble());
            Assert.Equal(0.2, byKind["llm_fallback"].GetProperty("threshold").GetDouble());
            Assert.False(byKind["feature_drift"].TryGetProperty("threshold", out _));
        }

        // Every problem is named at once, and nothing changes.
        using (var refused = await admin.PutAsync("/api/v1/alerts/rules", RunningServer.Json("""
            {"rules": [
              {"id": "Drift!", "kind": "feature_drift", "window": "15m"},
              {"id": "slow", "kind": "latency_p95", "threshold": 1000, "clear_threshold": 2000},
              {"id": "odd", "kind": "weather"},
              {"id": "slow", "kind": "error_rate", "threshold": 1.5, "coverage_below": 0.6}],
             "webhooks": [{"id": "ops", "url": "ftp://example.org/x", "format": "json"}, {"id": "chat", "url": "not a url", "format": "teams", "secret": "short"}]}
            """)))
        {
            string body = await refused.Content.ReadAsStringAsync();
            Assert.Equal((HttpStatusCode)422, refused.StatusCode);
            using var problem = JsonDocument.Parse(body);
            Assert.Equal("invalid_rules", problem.RootElement.GetProperty("code").GetString());
            string[] errors = [.. problem.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)];
            Assert.Contains(errors, e => e.Contains("rule \"Drift!\": id must be", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("rule \"Drift!\": window \"15m\"", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("rule \"slow\": clear_threshold 2000 must be at or below the threshold 1000", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("rule \"odd\": kind \"weather\"", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("rule \"slow\": the id is used twice", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("threshold 1.5 must be a share between 0 and 1", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("coverage_below applies to low_coverage rules only", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("webhook \"ops\": url \"ftp://example.org/x\" must be http or https", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("webhook \"ops\": a json webhook needs a secret", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("webhook \"chat\": secret must be 16 to 256 characters", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("webhook \"chat\": format must be \"json\" or \"slack\"", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("webhook \"chat\": url \"not a url\" is not an absolute URL", StringComparison.Ordinal));
        }

        await AssertProblem(await admin.PutAsync("/api/v1/alerts/rules", RunningServer.Json("""{"rules": [{"id": "a", "kind": "error_rate", "treshold": 0.1}]}""")), 422, "invalid_rules");
        await AssertProblem(await admin.PutAsync("/api/v1/alerts/rules", RunningServer.Json("""{"rules": [{"id": "a", "kind": "error_rate", "threshold": "high"}]}""")), 422, "invalid_rules");
        await AssertProblem(await admin.PutAsync("/api/v1/alerts/rules", RunningServer.Json("""{"webhooks": []}""")), 422, "invalid_rules");
        await AssertProblem(await admin.PutAsync("/api/v1/alerts/rules", RunningServer.Json("""{"rules": [""")), 400, "malformed_json");
        await AssertProblem(await admin.PutAsync("/api/v1/alerts/rules", new StringContent("{}", Encoding.UTF8, "text/plain")), 415, "unsupported_media_type");
        await AssertProblem(await admin.PutAsync("/api/v1/alerts/rules", RunningServer.Json("""{"version": 4, "rules": []}""")), 409, "version_conflict");
        using (var service = server.Client(server.ServiceKey))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await service.GetAsync("/api/v1/alerts/rules")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await service.GetAsync("/api/v1/alerts")).StatusCode);
        }

        // A valid change: stored as version 1, audited without the secret, the secret never shown.
        using (var saved = await admin.PutAsync("/api/v1/alerts/rules", RunningServer.Json($$"""
            {"version": 0, "rules": [{"id": "errors", "kind": "error_rate", "threshold": 0.1, "for_minutes": 2}],
             "webhooks": [{"id": "ops", "url": "https://ops.example.org/hook", "secret": "{{Secret}}"}, {"id": "chat", "url": "https://hooks.example.org/services/T01/B02/{{SlackToken}}", "format": "slack", "rules": ["errors"]}]}
            """)))
        {
            string body = await saved.Content.ReadAsStringAsync();
            Assert.True(saved.StatusCode == HttpStatusCode.OK, body);
            Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
            Assert.DoesNotContain(SlackToken, body, StringComparison.Ordinal);
            using var document = JsonDocument.Parse(body);
            Assert.Equal(1, document.RootElement.GetProperty("version").GetInt64());
            var webhooks = document.RootElement.GetProperty("webhooks").EnumerateArray().ToDictionary(w => w.GetProperty("id").GetString()!);
            Assert.True(webhooks["ops"].GetProperty("has_secret").GetBoolean());
            Assert.False(webhooks["chat"].GetProperty("has_secret").GetBoolean());
            Assert.Equal("https://hooks.example.org/…Q9xz", webhooks["chat"].GetProperty("url").GetString());
            Assert.Equal(0.08, document.RootElement.GetProperty("rules")[0].GetProperty("clear_threshold").GetDouble(), 9);
        }

        // What a read answers can be sent back as it is: the secret stays.
        string current = await admin.GetStringAsync("/api/v1/alerts/rules");
        using (var again = await admin.PutAsync("/api/v1/alerts/rules", RunningServer.Json(current)))
        {
            Assert.True(again.StatusCode == HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
            using var document = JsonDocument.Parse(await again.Content.ReadAsStringAsync());
            Assert.Equal(2, document.RootElement.GetProperty("version").GetInt64());
            Assert.True(document.RootElement.GetProperty("webhooks")[0].GetProperty("has_secret").GetBoolean());
        }

        // A masked URL that matches no stored one (another webhook's, or one edited by hand) is refused.
        using (var refused = await admin.PutAsync("/api/v1/alerts/rules", RunningServer.Json((await admin.GetStringAsync("/api/v1/alerts/rules")).Replace("\"id\":\"chat\"", "\"id\":\"team\"", StringComparison.Ordinal))))
        {
            Assert.Equal((HttpStatusCode)422, refused.StatusCode);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Contains(problem.RootElement.GetProperty("errors").EnumerateArray(),
                e => e.GetString()!.StartsWith("webhook \"team\": the url is masked and matches no stored one", StringComparison.Ordinal));
        }

        var audit = await server.Store.ListAuditAsync();
        var changes = audit.Where(a => a.Action == "alerts.rules").ToArray();
        Assert.Equal(2, changes.Length);
        Assert.All(changes, change => Assert.DoesNotContain(Secret, (change.Before ?? "") + change.After, StringComparison.Ordinal));
        Assert.All(changes, change => Assert.DoesNotContain(SlackToken, (change.Before ?? "") + change.After, StringComparison.Ordinal));
        var urls = (await server.Alerts.WebhookCredentialsAsync()).Urls;
        Assert.DoesNotContain(SlackToken, urls["chat"], StringComparison.Ordinal);
        Assert.Contains("\"for_minutes\":2", changes.Single(c => c.Subject == "alert rules v1").After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_written_before_urls_were_kept_apart_move_them_out_of_the_clear_once()
    {
        await using var server = await RunningServer.StartAsync();
        using var admin = server.Client(server.AdminKey);
        string url = $"https://hooks.example.org/services/T01/B02/{SlackToken}";
        string legacy = AlertRuleSetJson.Serialize(new AlertRuleSet([new AlertRule("errors", AlertKinds.ErrorRate)], [new AlertWebhook("chat", url, AlertWebhook.Slack)]));
        Assert.True(await server.Alerts.SaveRulesAsync(1, legacy, [], WebhookCredentials.None,
            new Skillscope.Scoring.Registry.AuditEntry(0, DateTime.UtcNow, "user:earlier", AlertRulesAudit.Action, "alert rules v1", null, legacy)));

        // Shown masked even before they move: the read and the audit log.
        Assert.DoesNotContain(SlackToken, await admin.GetStringAsync("/api/v1/alerts/rules"), StringComparison.Ordinal);
        Assert.DoesNotContain(SlackToken, await admin.GetStringAsync("/api/v1/audit?limit=1000"), StringComparison.Ordinal);

        var rules = server.Service<Skillscope.Server.Alerting.AlertRulesService>();
        Assert.True(await rules.MoveClearUrlsAsync("system:upgrade", CancellationToken.None));
        Assert.False(await rules.MoveClearUrlsAsync("system:upgrade", CancellationToken.None));
        var latest = (await server.Alerts.LatestRulesAsync())!.Value;
        Assert.Equal(2, latest.Version);
        Assert.DoesNotContain(SlackToken, latest.Document, StringComparison.Ordinal);
        Assert.Contains("chat", (await server.Alerts.WebhookCredentialsAsync()).Urls.Keys);
        var moved = (await server.Store.ListAuditAsync(5)).First(a => a.Action == AlertRulesAudit.Action);
        Assert.Equal("system:upgrade", moved.Actor);
        Assert.DoesNotContain(SlackToken, (moved.Before ?? "") + moved.After, StringComparison.Ordinal);
    }

    /// <summary>A model whose score depends on tenure alone, so the features the test moves leave the score where it was.</summary>
    private static byte[] TenureModel()
    {
        var random = new Random(3);
        int rows = 2_000;
        var x = new float[rows * Features.Length];
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = Row(random, 0, 0);
            row.CopyTo(x, r * Features.Length);
            y[r] = row[0] > 5 ? 1 : 0;
        }

        var parameters = new TrainingParameters { Objective = "binary:logistic", NumRound = 5, MaxDepth = 2, Seed = 3, Threads = 1 };
        return GradientBoostingTrainer.Train(new TrainingData(x, y, Features.Length, featureNames: Features), parameters).ToUbjson();
    }

    private static float[] Row(Random random, double ageShift, double visitsMissing) =>
    [
        (float)(random.NextDouble() * 10),
        (float)Normal(random, 50, 10),
        random.NextDouble() < visitsMissing ? float.NaN : (float)Normal(random, 20, 5),
        (float)Normal(random, 40 + ageShift, 10),
    ];

    private static double Normal(Random random, double mean, double deviation) =>
        mean + (deviation * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static async Task ScoreAsync(HttpClient client, Random random, int rows, double ageShift, double visitsMissing)
    {
        for (int done = 0; done < rows; done += 1_000)
        {
            var body = new StringBuilder("{\"rows\": [");
            for (int r = done; r < Math.Min(rows, done + 1_000); r++)
            {
                var row = Row(random, ageShift, visitsMissing);
                body.Append(r > done ? ",[" : "[");
                for (int f = 0; f < row.Length; f++)
                {
                    body.Append(f > 0 ? "," : "").Append(float.IsNaN(row[f]) ? "null" : row[f].ToString("R", CultureInfo.InvariantCulture));
                }

                body.Append(']');
            }

            using var response = await client.PostAsync($"/api/v1/models/{Model}/predict", RunningServer.Json(body.Append("]}").ToString()));
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    private static async Task<JsonDocument> AlertsAsync(HttpClient admin) => JsonDocument.Parse(await admin.GetStringAsync("/api/v1/alerts"));

    private static async Task<JsonDocument> WaitForAsync(HttpClient admin, Func<JsonElement, bool> ready)
    {
        for (int i = 0; i < 300; i++)
        {
            var document = await AlertsAsync(admin);
            if (ready(document.RootElement))
            {
                return document;
            }

            document.Dispose();
            await Task.Delay(100);
        }

        using var last = await AlertsAsync(admin);
        throw new TimeoutException($"alerts did not reach the expected state in 30 s: {last.RootElement}");
    }

    /// <summary>Waits for <paramref name="count"/> more evaluations (each refreshes the time the alerts were last checked).</summary>
    private static async Task WaitForEvaluationsAsync(HttpClient admin, int count)
    {
        for (int n = 0; n < count; n++)
        {
            using var before = await AlertsAsync(admin);
            string? at = before.RootElement.TryGetProperty("evaluated_at", out var stamp) ? stamp.GetString() : null;
            using var after = await WaitForAsync(admin, root => root.TryGetProperty("evaluated_at", out var now) && now.GetString() != at);
        }
    }

    private static async Task WaitForLiveRowsAsync(HttpClient admin, long rows)
    {
        for (int i = 0; i < 300; i++)
        {
            using var drift = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/models/{Model}/drift?window=1h"));
            if (drift.RootElement.GetProperty("status").GetString() != "building_reference" && drift.RootElement.GetProperty("live_rows").GetInt64() >= rows)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{rows} live rows were not counted in 30 s");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(), "the condition did not hold within 30 s");
    }

    /// <summary>
    /// The real clock, moved: it starts ten minutes into an hour (so the test never straddles one) and
    /// can jump ahead; between jumps it runs, so leases and timers work as in production.
    /// </summary>
    private sealed class ShiftedTime : TimeProvider
    {
        private TimeSpan _offset;

        public ShiftedTime()
        {
            var now = DateTimeOffset.UtcNow;
            var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
            _offset = hour.AddMinutes(10) - now;
        }

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + _offset;

        public void Advance(TimeSpan by) => _offset += by;
    }
}

using BenchmarkDotNet.Attributes;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Monitoring;
using Skillscope.Storage;

namespace Skillscope.Bench;

/// <summary>
/// One evaluation of 50 alert rules on a SQLite file, as the server runs it every minute: seven served
/// versions of 26 features with a day of counts from two replicas (one version drifting in two features, so
/// those alerts fire and are updated each time), ten minutes of request counts, and rules over three drift
/// windows, coverage, error rate and latency. What is measured is the evaluation: reading the rules and
/// states, measuring every rule (each version's drift read once per window), and writing what changed.
/// </summary>
[MemoryDiagnoser]
public class AlertEvaluationBenchmarks
{
    private const int Models = 7;

    private const int RowsPerHourPerReplica = 2_000;

    private string _folder = "";
    private SqlRegistryStore _store = null!;
    private ModelMonitor _monitor = null!;
    private FixedClock _clock = null!;
    private (string Model, string Version)[] _served = [];

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("skillscope-alert-bench-").FullName;
        _store = SqlRegistryStore.Sqlite(Path.Combine(_folder, "skillscope.db"));
        _store.MigrateAsync().GetAwaiter().GetResult();
        var now = DateTime.UtcNow;
        _clock = new FixedClock(now);
        var random = new Random(17);
        _served = [.. Enumerable.Range(0, Models).Select(m => ($"skill_{m}", "1.0.0"))];
        foreach (var (model, version) in _served)
        {
            var (reference, referenceScores) = ScoredRows.Make(random, 10_000);
            var profile = ProfileBuilder.Build(ReferenceProfile.FirstScoredRows, ScoredRows.Names, reference, referenceScores, now);
            _store.Monitoring.AddReferenceAsync(model, version, profile).GetAwaiter().GetResult();
            foreach (string writer in new[] { "replica-a", "replica-b" })
            {
                var clock = new FixedClock(now.AddHours(-23));
                var recorder = new ProfileRecorder(model, version, ScoredRows.Names, referenceRows: 10_000, clock);
                recorder.Use(profile);
                for (int hour = 0; hour < 24; hour++)
                {
                    var (matrix, scores) = ScoredRows.Make(random, RowsPerHourPerReplica);
                    if (model == "skill_0")
                    {
                        // Two features of one version drift: the first moves up, the second is missing in half the rows.
                        for (int r = 0; r < RowsPerHourPerReplica; r++)
                        {
                            matrix[r * ScoredRows.Features] += 40;
                            matrix[(r * ScoredRows.Features) + 1] = r % 2 == 0 ? float.NaN : matrix[(r * ScoredRows.Features) + 1];
                        }
                    }

                    recorder.Record(matrix, scores, RowsPerHourPerReplica, 1);
                    _store.Monitoring.SaveLiveCountsAsync(model, version, writer, recorder.TakeChanged()).GetAwaiter().GetResult();
                    clock.Now = clock.Now.AddHours(1);
                }
            }
        }

        foreach (string writer in new[] { "replica-a", "replica-b" })
        {
            var minutes = new List<RequestCounts>();
            for (int minute = 0; minute < 10; minute++)
            {
                var clock = new FixedClock(now.AddMinutes(minute - 9));
                var perMinute = new RequestTally(clock);
                for (int request = 0; request < 1_000; request++)
                {
                    perMinute.Record(TimeSpan.FromMilliseconds(random.Next(1, 40)), failed: request % 200 == 0);
                }

                minutes.AddRange(perMinute.TakeChanged());
            }

            _store.Monitoring.SaveRequestCountsAsync(writer, minutes).GetAwaiter().GetResult();
        }

        var rules = new List<AlertRule>();
        for (int m = 0; m < Models; m++)
        {
            string model = $"skill_{m}";
            rules.Add(new AlertRule($"drift-{m}", AlertKinds.FeatureDrift, Model: model));
            rules.Add(new AlertRule($"drift-6h-{m}", AlertKinds.FeatureDrift, Model: model, Window: "6h"));
            rules.Add(new AlertRule($"score-{m}", AlertKinds.ScoreDrift, Model: model));
            rules.Add(new AlertRule($"coverage-{m}", AlertKinds.LowCoverage, Model: model));
            rules.Add(new AlertRule($"first-feature-{m}", AlertKinds.FeatureDrift, Model: model, Feature: "f0", Window: "1h"));
        }

        for (int f = 1; f <= 11; f++)
        {
            rules.Add(new AlertRule($"feature-{f}", AlertKinds.FeatureDrift, Feature: $"f{f}", Window: "24h"));
        }

        rules.Add(new AlertRule("errors-5m", AlertKinds.ErrorRate));
        rules.Add(new AlertRule("errors-10m", AlertKinds.ErrorRate, Window: "10m"));
        rules.Add(new AlertRule("latency-5m", AlertKinds.LatencyP95));
        rules.Add(new AlertRule("latency-10m", AlertKinds.LatencyP95, Window: "10m"));
        var set = new AlertRuleSet(rules, []);
        if (rules.Count != 50 || set.Problems(new HashSet<string>()).Count > 0)
        {
            throw new InvalidOperationException($"{rules.Count} rules: {string.Join("; ", set.Problems(new HashSet<string>()))}");
        }

        _store.Alerts.SaveRulesAsync(1, AlertRuleSetJson.Serialize(set), [], WebhookCredentials.None,
            new Skillscope.Scoring.Registry.AuditEntry(0, now, "bench", "alerts.rules", "alert rules v1", null, null)).GetAwaiter().GetResult();
        _monitor = new ModelMonitor(_store.Monitoring, ModelMonitor.DefaultReferenceRows, _clock);

        // A first evaluation fires what drifts; the measured ones update it, as every minute does.
        var first = Evaluate();
        if (first.Events.Count == 0)
        {
            throw new InvalidOperationException("the drifting version fired nothing");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public AlertCycle EvaluateFiftyRules() => Evaluate();

    private AlertCycle Evaluate()
    {
        // Each evaluation measures afresh: a new signals object, as the server makes one per evaluation.
        var signals = new ServingSignals(_monitor, _served, _ => (new DriftThresholds(), new Dictionary<string, DriftThresholds>()));
        return new AlertEvaluator(_store.Alerts, signals, _clock).EvaluateNowAsync().GetAwaiter().GetResult();
    }
}

using BenchmarkDotNet.Attributes;
using Skillscope.Scoring.Monitoring;
using Skillscope.Storage;

namespace Skillscope.Bench;

/// <summary>
/// What <c>GET /api/v1/models/{name}/drift</c> costs after a day in which two replicas scored 1,000,000 rows
/// of 26 features: read the reference and every writer's hours from a SQLite file, sum them, and compare.
/// </summary>
[MemoryDiagnoser]
public class DriftQueryBenchmarks
{
    private const int RowsScored = 1_000_000;

    private string _folder = "";
    private SqlRegistryStore _store = null!;
    private ModelMonitor _monitor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("skillscope-drift-bench-").FullName;
        _store = SqlRegistryStore.Sqlite(Path.Combine(_folder, "skillscope.db"));
        _store.MigrateAsync().GetAwaiter().GetResult();
        var random = new Random(13);
        var (reference, referenceScores) = ScoredRows.Make(random, 10_000);
        var profile = ProfileBuilder.Build(ReferenceProfile.FirstScoredRows, ScoredRows.Names, reference, referenceScores, DateTime.UtcNow);
        _store.Monitoring.AddReferenceAsync("model", "1.0.0", profile).GetAwaiter().GetResult();

        // The last 24 hours, each replica counting half of each hour's rows, as they would write them.
        var now = DateTime.UtcNow;
        foreach (string writer in new[] { "replica-a", "replica-b" })
        {
            var clock = new FixedClock(now.AddHours(-23));
            var recorder = new ProfileRecorder("model", "1.0.0", ScoredRows.Names, referenceRows: 10_000, clock);
            recorder.Use(profile);
            for (int hour = 0; hour < 24; hour++)
            {
                var (matrix, scores) = ScoredRows.Make(random, RowsScored / 48);
                recorder.Record(matrix, scores, RowsScored / 48, 1);
                _store.Monitoring.SaveLiveCountsAsync("model", "1.0.0", writer, recorder.TakeChanged()).GetAwaiter().GetResult();
                clock.Now = clock.Now.AddHours(1);
            }
        }

        _monitor = new ModelMonitor(_store.Monitoring, ModelMonitor.DefaultReferenceRows);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public DriftReport? DriftOverADay() =>
        _monitor.DriftAsync("model", "1.0.0", TimeSpan.FromHours(24), new DriftThresholds()).GetAwaiter().GetResult();
}

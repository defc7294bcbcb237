using BenchmarkDotNet.Attributes;
using Skillscope.Scoring.Monitoring;

namespace Skillscope.Bench;

/// <summary>
/// What monitoring adds to scoring: counting a batch of scored rows (26 features, 10 % missing, and the
/// score) in a version's reference bins, as every scoring path does after the trees have run.
/// </summary>
[MemoryDiagnoser]
public class MonitoringBenchmarks
{
    private ProfileRecorder _recorder = null!;
    private float[] _rows = [];
    private float[] _scores = [];

    [Params(1, 100)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        var (reference, referenceScores) = ScoredRows.Make(random, 10_000);
        _recorder = new ProfileRecorder("model", "1.0.0", ScoredRows.Names, referenceRows: 10_000);
        _recorder.Use(ProfileBuilder.Build(ReferenceProfile.FirstScoredRows, ScoredRows.Names, reference, referenceScores, DateTime.UtcNow));
        (_rows, _scores) = ScoredRows.Make(random, Rows);
    }

    [Benchmark]
    public void CountScoredRows() => _recorder.Record(_rows, _scores, Rows, 1);
}
